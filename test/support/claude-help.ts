/**
 * Reads `claude --help` (commander's layout): the options, with whether and how each takes a
 * value, and the sub-commands. Tests compare them with the wrapper's own table of claude's
 * options, so that a new option or sub-command of a supported CLI cannot go unnoticed.
 */
import type { OptionArity } from '../../src/launch/claude-options.ts';

export interface ClaudeHelp {
  /** Every option name (long and short) with its arity, as the help shows it. */
  options: Map<string, OptionArity>;
  /** Every sub-command name, aliases included. */
  commands: Set<string>;
}

/** `<x>` a value, `[x]` an optional value, `<x...>` / `[x...]` values up to the next option. */
function arityOf(flags: string): OptionArity {
  const arg = /\s([<[])[^>\]]*?(\.\.\.)?[>\]]$/.exec(flags);
  if (!arg) return 'flag';
  if (arg[2]) return 'values';
  return arg[1] === '<' ? 'value' : 'optional-value';
}

export function parseClaudeHelp(text: string): ClaudeHelp {
  const options = new Map<string, OptionArity>();
  const commands = new Set<string>();
  let section = '';
  for (const line of text.split('\n')) {
    const heading = /^(\w[\w ]*):\s*$/.exec(line);
    if (heading) {
      section = heading[1] ?? '';
      continue;
    }
    // An entry starts two spaces in; its description follows after two or more spaces.
    const entry = /^ {2}(\S.*?)(?: {2,}|$)/.exec(line);
    if (!entry?.[1]) continue;
    const head = entry[1];
    if (section === 'Options' && head.startsWith('-')) {
      const arity = arityOf(head);
      for (const name of head.match(/(?<=^|, )--?[\w-]+/g) ?? []) options.set(name, arity);
    } else if (section === 'Commands') {
      for (const name of (head.split(' ')[0] ?? '').split('|')) commands.add(name);
    }
  }
  return { options, commands };
}
