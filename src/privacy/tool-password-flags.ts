import type { Report, Rule } from './redaction-engine.ts';

// Short options that carry a password only for the tools that define them: `mysql -pX`,
// `sshpass -p X`, `curl -u user:pass`, `zip -P X`. Elsewhere -p is a port or a path, so the
// tool is found first and only its own command (up to ; & | or a newline) is read.

/** `password`: the whole value; `userpass`: what follows the first `:` (or `%` for smbclient). */
type Carries = 'password' | 'userpass';

/** The option letters (with their dash) that carry a password, per tool. */
const MYSQL = { '-p': 'password' } as const;
const CURL = { '-u': 'userpass', '--user': 'userpass', '-U': 'userpass', '--proxy-user': 'userpass', '-b': 'password' } as const;
const HTTPIE = { '-a': 'userpass', '--auth': 'userpass' } as const;
const ARCHIVE_UPPER = { '-P': 'password' } as const;
const ARCHIVE_LOWER = { '-p': 'password' } as const;

const OPTIONS_BY_TOOL: Record<string, Readonly<Record<string, Carries>>> = {
  mysql: MYSQL,
  mysqldump: MYSQL,
  mysqladmin: MYSQL,
  mysqlimport: MYSQL,
  mysqlshow: MYSQL,
  mysqlcheck: MYSQL,
  mysqlpump: MYSQL,
  mysqlsh: MYSQL,
  mariadb: MYSQL,
  'mariadb-dump': MYSQL,
  'mariadb-admin': MYSQL,
  'mariadb-import': MYSQL,
  'mariadb-check': MYSQL,
  sshpass: { '-p': 'password' },
  'redis-cli': { '-a': 'password' },
  curl: CURL,
  http: HTTPIE,
  https: HTTPIE,
  xh: HTTPIE,
  xhs: HTTPIE,
  smbclient: { '-U': 'userpass', '--user': 'userpass' },
  zip: ARCHIVE_UPPER,
  unzip: ARCHIVE_UPPER,
  zipcloak: ARCHIVE_UPPER,
  '7z': ARCHIVE_LOWER,
  '7za': ARCHIVE_LOWER,
  '7zr': ARCHIVE_LOWER,
  rar: ARCHIVE_LOWER,
  unrar: ARCHIVE_LOWER,
  docker: { '-p': 'password' },
  podman: { '-p': 'password' },
  nerdctl: { '-p': 'password' },
  buildah: { '-p': 'password' },
  mongo: { '-p': 'password' },
  mongosh: { '-p': 'password' },
  mongodump: { '-p': 'password' },
  mongorestore: { '-p': 'password' },
  mongoexport: { '-p': 'password' },
  mongoimport: { '-p': 'password' },
  sqlcmd: { '-P': 'password' },
  bcp: { '-P': 'password' },
  mosquitto_pub: { '-P': 'password' },
  mosquitto_sub: { '-P': 'password' },
  ldapsearch: { '-w': 'password' },
  ldapadd: { '-w': 'password' },
  ldapmodify: { '-w': 'password' },
  ldapdelete: { '-w': 'password' },
  ldappasswd: { '-w': 'password', '-s': 'password' },
  openssl: { '-k': 'password' },
};

/** Tools whose password option belongs to one subcommand (docker login -p; docker run -p is a port). */
const ONLY_FOR_LOGIN = new Set(['docker', 'podman', 'nerdctl', 'buildah']);

/** A tool name as a word, alone or at the end of a path (/usr/bin/mysql). */
const TOOL = new RegExp(
  String.raw`(?<![A-Za-z0-9_.-])(${Object.keys(OPTIONS_BY_TOOL)
    .map((t) => t.replace(/[.]/g, '\\.'))
    .join('|')})(?![A-Za-z0-9_.-])`,
  'g',
);

/** The most words of one command read for its options. */
const MAX_WORDS = 64;

const SEPARATORS = new Set([';', '&', '|', '\n', '(', ')', '`']);
const WORD_ENDS = new Set([' ', '\t', '\r', '\n', '\f', '\v', ';', '&', '|', '(', ')', '`']);

/** Where the shell word starting at `at` ends: quoted parts belong to it, up to a space or a separator. */
function wordEnd(text: string, at: number): number {
  let i = at;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (ch === '"' || ch === "'") {
      const close = text.indexOf(ch, i + 1);
      const newline = text.indexOf('\n', i + 1);
      // An open quote runs to its line's end.
      i = close === -1 || (newline !== -1 && newline < close) ? (newline === -1 ? text.length : newline) : close + 1;
    } else if (WORD_ENDS.has(ch)) {
      break;
    } else {
      i += 1;
    }
  }
  return i;
}

function hideValue(text: string, start: number, end: number, carries: Carries, tool: string, report: Report): void {
  let from = start;
  if (carries === 'userpass') {
    const cut = text.slice(start, end).search(tool === 'smbclient' ? /[%:]/ : /:/);
    if (cut === -1) return; // a user alone: the tool asks for the password
    from = start + cut + 1;
  }
  let to = end;
  // 'a quoted password': the quotes stay, every word inside goes.
  const open = text[start];
  if (open === '"' || open === "'") {
    if (from === start) from += 1;
    if (to - 1 > start && text[to - 1] === open) to -= 1;
  }
  if (to > from) report(from, to);
}

/** Reads the options of one command; returns where the command ends. */
function scanCommand(text: string, from: number, tool: string, report: Report): number {
  const options = OPTIONS_BY_TOOL[tool] ?? {};
  let at = from;
  let pending: Carries | undefined;
  let waitingForLogin = ONLY_FOR_LOGIN.has(tool);
  let words = 0;
  for (;;) {
    while (text[at] === ' ' || text[at] === '\t') at += 1;
    const ch = text[at];
    if (ch === undefined || SEPARATORS.has(ch)) return at;
    const end = wordEnd(text, at);
    if (end === at) return at + 1;
    const word = text.slice(at, end);
    words += 1;
    // Another tool reads its own options; a long command is read only so far (bounded cost).
    if (words > MAX_WORDS || OPTIONS_BY_TOOL[word.slice(word.lastIndexOf('/') + 1)] !== undefined) return at;
    if (waitingForLogin) {
      if (!word.startsWith('-')) {
        if (word !== 'login') return skipCommand(text, end);
        waitingForLogin = false;
      }
    } else if (pending) {
      if (!word.startsWith('-')) hideValue(text, at, end, pending, tool, report);
      pending = undefined;
    } else if (word.startsWith('-')) {
      const eq = word.indexOf('=');
      const flag = eq === -1 ? word : word.slice(0, eq);
      const carries = options[flag];
      if (carries && eq !== -1) hideValue(text, at + eq + 1, end, carries, tool, report);
      else if (carries) pending = carries;
      else if (!word.startsWith('--')) {
        // Attached value: -pSECRET, -uuser:pass.
        const letter = word.slice(0, 2);
        const attached = options[letter];
        if (attached && word.length > 2) hideValue(text, at + 2, end, attached, tool, report);
      }
    }
    at = end;
  }
}

/** Where the command that contains `from` ends. */
function skipCommand(text: string, from: number): number {
  let at = from;
  while (at < text.length && !SEPARATORS.has(text[at] ?? '')) at += 1;
  return at;
}

function scanTools(text: string, report: Report): void {
  // Each tool is read from its own name on, even inside another's quoted text (echo "mysql
  // -pX"): a quote may make one command look like it swallows the next.
  TOOL.lastIndex = 0;
  for (let m = TOOL.exec(text); m !== null; m = TOOL.exec(text)) scanCommand(text, m.index + m[0].length, m[1] ?? '', report);
}

export const TOOL_PASSWORD_RULES: readonly Rule[] = [{ id: 'tool-password-option', scan: scanTools }];
