import { patternRule, type Report, type Rule } from './redaction-engine.ts';
import { MAX_VALUE_LENGTH } from './value-extent.ts';

// Secrets recognisable by where they stand rather than by their own shape: private key
// blocks, HTTP authorization and cookie headers, URL userinfo, .netrc entries. Families
// that gitleaks also covers name its rule (private-key, curl-auth-header, ...).

/** A header that carries a credential, its separator, and an optional opening quote. */
const HEADER = /(?<![A-Za-z0-9_-])((?:proxy-)?authorization|(?:set-)?cookie)(\\?["']?)[ \t]*[:=][ \t]*(\\?["']?)/gi;
/** A scheme word before the credential (Bearer, token, Digest, AWS4-HMAC-SHA256). */
const SCHEME = /[A-Za-z][A-Za-z0-9_-]*[ \t]+(?=\S)/y;
/** A scheme word that ends its line, the credential wrapped onto the next one. */
const WRAPPED_SCHEME = /(?:bearer|basic|token|digest|negotiate|ntlm)[ \t]*\r?\n[ \t]*(?=\S)/iy;

/**
 * Authorization / Proxy-Authorization with any scheme: the scheme word stays, the credential
 * goes ("Authorization: token abc" hides abc). Cookie / Set-Cookie: the whole value. The
 * value ends with its line, or with the quote that encloses the header or the value.
 */
function scanHeaders(text: string, report: Report): void {
  HEADER.lastIndex = 0;
  for (let m = HEADER.exec(text); m !== null; m = HEADER.exec(text)) {
    let at = m.index + m[0].length;
    const isAuthorization = /^(?:proxy-)?authorization$/i.test(m[1] ?? '');
    // COOKIE=value is an assignment, judged by its name elsewhere; a header has a colon.
    if (!isAuthorization && !m[0].includes(':')) continue;
    const before = text[m.index - 1] === '\\' ? '' : text[m.index - 1];
    const quote = (m[3] ?? '').replace('\\', '') || (before === '"' || before === "'" ? before : '');
    if (isAuthorization) {
      SCHEME.lastIndex = at;
      WRAPPED_SCHEME.lastIndex = at;
      if (SCHEME.test(text)) at = SCHEME.lastIndex;
      else if (WRAPPED_SCHEME.test(text)) at = WRAPPED_SCHEME.lastIndex;
    }
    let end = at;
    const limit = Math.min(text.length, at + MAX_VALUE_LENGTH);
    while (end < limit) {
      const ch = text[end];
      if (ch === '\n' || ch === '\r' || (quote !== '' && ch === quote) || (ch === '\\' && (text[end + 1] === 'n' || text[end + 1] === quote))) break;
      end += 1;
    }
    while (end > at && /[ \t]/.test(text[end - 1] ?? '')) end -= 1;
    if (end > at) report(at, end);
    HEADER.lastIndex = Math.max(HEADER.lastIndex, end);
  }
}

/** A random credential has a digit or a symbol; "bearer information" has neither. */
function credentialLike(secret: string): boolean {
  return /[0-9+/=._~-]/.test(secret) || secret.length >= 24;
}

/** The words of a .netrc entry and the token after each. */
const NETRC_WORD = /(?<![A-Za-z0-9_-])(machine|default|login|password)(?![A-Za-z0-9_-])(?:[ \t]*\r?\n)?[ \t]*(\S*)/g;
/** How far after `machine` or `login` a `password` still belongs to the same entry. */
const NETRC_ENTRY = 400;

/** .netrc: `machine host login user password secret`, on one line or several. */
function scanNetrc(text: string, report: Report): void {
  let entryAt = -Infinity;
  NETRC_WORD.lastIndex = 0;
  for (let m = NETRC_WORD.exec(text); m !== null; m = NETRC_WORD.exec(text)) {
    const value = m[2] ?? '';
    if (m[1] !== 'password') entryAt = m.index;
    // `password = x` and `password: x` are assignments, judged by the name rules.
    else if (value.length > 0 && value[0] !== '=' && value[0] !== ':' && m.index - entryAt <= NETRC_ENTRY)
      report(m.index + m[0].length - value.length, m.index + m[0].length);
  }
}

function isBase64PrivateKey(base64: string): boolean {
  const head = Buffer.from(base64.slice(0, 120), 'base64').toString('latin1');
  const firstLine = head.slice(0, head.indexOf('\n') === -1 ? head.length : head.indexOf('\n'));
  return firstLine.includes('PRIVATE KEY');
}

/**
 * A .pgpass line, host:port:database:user:password, at the start of a word (a line of the file,
 * or a quoted argument that writes one). The port is a number or `*`; the host is `*` or has a
 * letter or a dot (times such as 01:02:03:04:05 do not); the password has no unescaped `:`
 * (IPv6 addresses have more fields).
 */
const PGPASS = /(?<![^\s'"`])(\*|[A-Za-z0-9][A-Za-z0-9.-]{0,252}):(?:\d{1,5}|\*):[^\s:'"`]{1,256}:[^\s:'"`]{1,256}:((?:\\.|[^\s'"`\\:]){1,1024})(?=[\s'"`]|$)/g;

function scanPgpass(text: string, report: Report): void {
  PGPASS.lastIndex = 0;
  for (let m = PGPASS.exec(text); m !== null; m = PGPASS.exec(text)) {
    const host = m[1] ?? '';
    if (host !== '*' && !/[A-Za-z.]/.test(host)) continue;
    const password = m[2] ?? '';
    report(m.index + m[0].length - password.length, m.index + m[0].length);
  }
}

export const STRUCTURAL_RULES: readonly Rule[] = [
  // Any PEM-style private key block (RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP ... BLOCK, SSH2).
  // Without its END line the key was cut: everything after BEGIN goes, up to the quote that
  // closes the string holding it (a key body never has one) or the end of the text.
  patternRule(
    'private-key',
    /-{4,5} ?BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)? ?-{4,5}[^"]*?(?:-{4,5} ?END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)? ?-{4,5}|(?=\\?")|$)/,
  ),
  // PuTTY key files: the private lines up to the MAC.
  patternRule('putty-private-key', /Private-Lines: *\d+(?<s>[\s\S]*?(?:Private-(?:MAC|Hash): *[0-9a-fA-F]+|$))/, { group: 's' }),
  { id: 'curl-auth-header', scan: scanHeaders },
  // A credential after its scheme word anywhere, e.g. an -H argument split differently, or
  // wrapped onto the next line.
  patternRule('bearer-token', /(?<![A-Za-z0-9_-])bearer(?:[ \t]+|[ \t]*\r?\n[ \t]*)(?<s>[A-Za-z0-9._~+/=-]{8,})/i, { group: 's', accept: credentialLike }),
  patternRule('basic-credentials', /(?<![A-Za-z0-9_-])Basic[ \t]+(?<s>[A-Za-z0-9+/]{8,}={0,2})/, { group: 's', accept: credentialLike }),
  // userinfo in any scheme: the password after the user (who may be empty: redis://:pw@host);
  // the password runs to the last @ before the host, so an unencoded @ in it hides it all.
  patternRule('url-password', /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/[^\s/?#@"'<>\\:]*:(?<s>[^\s/?#"'<>\\]+)@/, { group: 's' }),
  // A user part alone that is long enough to be a token (https://<token>@host, a Sentry DSN key).
  patternRule('url-token-user', /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/(?<s>[^\s/?#@"'<>\\:]{16,})@/, { group: 's' }),
  { id: 'netrc-password', scan: scanNetrc },
  // A PEM private key in base64 (kubeconfig client-key-data, Kubernetes secrets, Helm values):
  // "LS0tLS1CRUdJTi" is "-----BEGIN"; certificates in the same shape stay.
  patternRule('base64-private-key', /(?<![A-Za-z0-9+/=])LS0tLS1CRUdJTi[A-Za-z0-9+/]*={0,2}/, { accept: isBase64PrivateKey }),
  { id: 'pgpass-line', scan: scanPgpass },
];
