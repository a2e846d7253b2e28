import type { Report, Rule } from './redaction-engine.ts';
import { SEPARATORS, skipBlanks, wordEnd, type WorkMeter } from './shell-words.ts';

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
  // gh secret set NAME --body value (SUBCOMMANDS: gh issue create --body is no secret).
  gh: { '-b': 'password', '--body': 'password' },
  // htpasswd -b file user password: a positional argument (POSITIONAL_PASSWORDS).
  htpasswd: {},
};

/** Tools whose password option belongs to one subcommand (docker login -p; docker run -p is a port). */
const SUBCOMMANDS: Readonly<Record<string, readonly string[]>> = {
  docker: ['login'],
  podman: ['login'],
  nerdctl: ['login'],
  buildah: ['login'],
  gh: ['secret', 'set'],
};

/** A password given as a positional argument: which one, from the letters of the short options. */
interface PositionalPassword {
  index(letters: string): number | undefined;
  /** Short options whose value is the next word, not a positional argument. */
  optionsWithValue: ReadonlySet<string>;
}

const POSITIONAL_PASSWORDS: Readonly<Record<string, PositionalPassword>> = {
  // htpasswd -b [-c] file user password; htpasswd -nb user password; -C and -r take a number.
  htpasswd: {
    index: (letters) => (letters.includes('b') ? (letters.includes('n') ? 1 : 2) : undefined),
    optionsWithValue: new Set(['-C', '-r']),
  },
};

const TOOLS: ReadonlyMap<string, Readonly<Record<string, Carries>>> = new Map(Object.entries(OPTIONS_BY_TOOL));

/** A tool name as a word, alone or at the end of a path (/usr/bin/mysql; not /etc/mysql/). */
const TOOL = new RegExp(`(?<![A-Za-z0-9_.-])(${[...TOOLS.keys()].map((t) => t.replace(/[.]/g, '\\.')).join('|')})(?![A-Za-z0-9_./-])`, 'g');

/** The most words of one command read for its options. */
const MAX_WORDS = 64;

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

/**
 * Reads the options of one command. `read` holds the word starts this tool's commands have
 * already read with nothing pending: reaching one, the rest of the command has been read from
 * there with the same options, so this reading stops. Text that repeats a tool's name inside
 * its own words (`7z -p'7z -p'…`) is then read once per tool, not once per name.
 */
function scanCommand(text: string, from: number, tool: string, report: Report, read: Set<number>, meter?: WorkMeter): void {
  const options = TOOLS.get(tool) ?? {};
  const subcommand = SUBCOMMANDS[tool] ?? [];
  const positional = POSITIONAL_PASSWORDS[tool];
  let letters = '';
  const args: [number, number][] = [];
  let optionValueNext = false;
  let matched = 0;
  let at = from;
  let pending: Carries | undefined;
  let words = 0;
  for (;;) {
    at = skipBlanks(text, at, meter);
    const ch = text[at];
    // A long command is read only so far (bounded cost).
    if (ch === undefined || SEPARATORS.has(ch) || words === MAX_WORDS) break;
    if (pending === undefined && matched === subcommand.length) {
      if (read.has(at)) break;
      read.add(at);
    }
    const end = wordEnd(text, at, meter);
    if (end === at) break;
    const word = text.slice(at, end);
    words += 1;
    // Another tool reads its own options.
    if (TOOLS.has(word.slice(word.lastIndexOf('/') + 1))) break;
    if (matched < subcommand.length) {
      if (!word.startsWith('-')) {
        if (word !== subcommand[matched]) return;
        matched += 1;
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
        if (positional) {
          letters += word.slice(1, 16);
          optionValueNext = positional.optionsWithValue.has(word);
        }
        // Attached value: -pSECRET, -uuser:pass.
        const letter = word.slice(0, 2);
        const attached = options[letter];
        if (attached && word.length > 2) hideValue(text, at + 2, end, attached, tool, report);
      }
    } else if (optionValueNext) {
      optionValueNext = false;
    } else {
      args.push([at, end]);
    }
    at = end;
  }
  const index = positional?.index(letters);
  const arg = index === undefined ? undefined : args[index];
  if (arg) hideValue(text, arg[0], arg[1], 'password', tool, report);
}

/**
 * Each tool is read from its own name on, even inside another's quoted text (echo "mysql
 * -pX"): a quote may make one command look like it swallows the next. `meter` counts the
 * characters read (tests check that the work grows with the text, not faster).
 */
export function scanToolOptions(text: string, report: Report, meter?: WorkMeter): void {
  const readByTool = new Map<string, Set<number>>();
  const re = new RegExp(TOOL.source, 'g');
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const tool = m[1] ?? '';
    let read = readByTool.get(tool);
    if (!read) {
      read = new Set();
      readByTool.set(tool, read);
    }
    scanCommand(text, m.index + m[0].length, tool, report, read, meter);
  }
}

export const TOOL_PASSWORD_RULES: readonly Rule[] = [{ id: 'tool-password-option', scan: (text, report) => scanToolOptions(text, report) }];
