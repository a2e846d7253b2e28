import type { Report, Rule } from './redaction-engine.ts';
import { isReference } from './value-extent.ts';
import { SEPARATORS, skipBlanks, wordEnd } from './shell-words.ts';

// A password written into a command that reads it from its standard input:
// `echo 'pw' | sudo -S cmd`, `printf '%s\n' pw | sudo --stdin`, `echo pw | docker login
// --password-stdin`, `echo pw | passwd --stdin user`, `echo 'user:pw' | chpasswd`. The words
// echo or printf print are hidden when the command after the pipe is one of these.

const PRINTER = /(?<![A-Za-z0-9_.-])(echo|printf)(?=[ \t])/g;

/** Words read after the pipe, looking for the option that makes the command read a password. */
const MAX_READER_WORDS = 16;

type Reader = 'password' | 'userpass';

interface Word {
  start: number;
  end: number;
  text: string;
}

/** The words of one command from `at`, up to a separator; `next` is where they stop. */
function commandWords(text: string, at: number, max: number): { words: Word[]; next: number } {
  const words: Word[] = [];
  let i = at;
  for (;;) {
    i = skipBlanks(text, i);
    const ch = text[i];
    if (ch === undefined || SEPARATORS.has(ch) || words.length === max) return { words, next: i };
    const end = wordEnd(text, i);
    if (end === i) return { words, next: i };
    words.push({ start: i, end, text: text.slice(i, end) });
    i = end;
  }
}

/** What the command after the pipe reads from its standard input, if it is a password. */
function passwordReader(words: readonly Word[]): Reader | undefined {
  const name = words[0]?.text.slice(words[0].text.lastIndexOf('/') + 1);
  if (name === 'chpasswd') return 'userpass';
  for (const [i, word] of words.entries()) {
    if (i === 0) continue;
    if (word.text === '--password-stdin') return 'password';
    if (name === 'passwd' && word.text === '--stdin') return 'password';
    if (name === 'sudo') {
      // sudo's own options come before its command.
      if (!word.text.startsWith('-')) return undefined;
      if (word.text === '--stdin' || /^-[A-Za-z]*S/.test(word.text)) return 'password';
    }
  }
  return undefined;
}

function hideWord(text: string, word: Word, reader: Reader, report: Report): void {
  let from = word.start;
  let to = word.end;
  const open = text[from];
  if ((open === '"' || open === "'") && to - from >= 2 && text[to - 1] === open) {
    from += 1;
    to -= 1;
  }
  const value = text.slice(from, to);
  if (isReference(value)) return;
  if (reader === 'userpass') {
    const colon = value.indexOf(':');
    if (colon === -1) return;
    from += colon + 1;
  }
  if (to > from) report(from, to);
}

function scanPipedPasswords(text: string, report: Report): void {
  const re = new RegExp(PRINTER.source, 'g');
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const printed = commandWords(text, m.index + m[0].length, Number.POSITIVE_INFINITY);
    re.lastIndex = Math.max(re.lastIndex, printed.next);
    if (text[printed.next] !== '|' || text[printed.next + 1] === '|') continue;
    const reader = passwordReader(commandWords(text, printed.next + 1, MAX_READER_WORDS).words);
    if (!reader) continue;
    let args = printed.words;
    // echo's own options; printf's format, when arguments follow it.
    if (m[1] === 'echo') while (args[0] && /^-[neE]+$/.test(args[0].text)) args = args.slice(1);
    else if (args.length > 1) args = args.slice(1);
    for (const word of args) hideWord(text, word, reader, report);
  }
}

export const PIPED_PASSWORD_RULES: readonly Rule[] = [{ id: 'piped-password', scan: scanPipedPasswords }];
