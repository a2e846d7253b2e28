import type { Report, Rule } from './redaction-engine.ts';
import { judgeName } from './secret-names.ts';
import { looksRandom } from './entropy.ts';
import { isReference, valueExtent } from './value-extent.ts';
import { isFileName, isVersion } from './ordinary-work.ts';

// Values whose name says they are secret: `DB_PASS=x`, `"apiKey": "x"`, `token: x`,
// `--client-secret x`, `<password>x</password>`. The name is matched as one token first
// (a lookbehind keeps the match from starting inside a longer name, and nothing in the
// pattern can match a name's characters two ways); only then are the operator and the value
// looked at, by code. A 10 KB dotted name costs one pass, not one per dot.

/** name, an optional closing quote (JSON) and the operator. */
const ASSIGNMENT = /(?<![A-Za-z0-9_.-])([A-Za-z_][A-Za-z0-9_.-]*)\\?["'`]?[ \t]*(?::=|=>|==?|:(?!:))[ \t]*/g;

/** --name=value, --name value, -storepass value (single-dash words of three lowercase letters or more). */
const FLAG = /(?<![A-Za-z0-9_-])(?:--[A-Za-z][A-Za-z0-9_-]*|-[a-z]{3,}(?![A-Za-z0-9_]))(=|[ \t]+)/g;

const XML_ELEMENT = /<([A-Za-z_][A-Za-z0-9_.:-]{0,80})>([^<\n]{1,2000})<\//g;

function secretValue(verdict: ReturnType<typeof judgeName>, value: string, entropy: boolean): boolean {
  if (isReference(value) || isVersion(value)) return false;
  if (verdict === 'secret') return true;
  if (verdict === 'count') return !/^\d+$/.test(value);
  return entropy && looksRandom(value);
}

function scanAssignments(text: string, report: Report, entropy: boolean): void {
  const re = new RegExp(ASSIGNMENT.source, 'g');
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const verdict = judgeName(m[1] ?? '');
    if (verdict === 'plain' && !entropy) continue;
    // scheme://user:password@host: the user is no name; the URL rule hides the password.
    if (text.startsWith('://', m.index - 3)) continue;
    const at = m.index + m[0].length;
    const next = text[at];
    // A structure's members are judged by their own names.
    if (next === '{' || next === '[') continue;
    // auth-token.jar:/lib/x.jar is a path list, not `name: value` (which has a space).
    if (m[0].endsWith(':') && (next === '/' || next === '.' || next === '~' || next === '\\')) continue;
    // session.ts:14, auth.py: No such file: a file's position or a message about it.
    if (m[0].trimEnd().endsWith(':') && isFileName(m[1] ?? '')) continue;
    // $VAR: a reference, judged before its extent is read (a run of `password=$password=$…` would
    // otherwise be read to its end once per name).
    if (isReference(text.slice(at, at + 2))) continue;
    const value = valueExtent(text, at);
    if (!value) continue;
    if (!secretValue(verdict, text.slice(value.start, value.end), entropy)) continue;
    report(value.start, value.end);
    re.lastIndex = Math.max(re.lastIndex, value.end);
  }
}

function scanFlags(text: string, report: Report): void {
  const re = new RegExp(FLAG.source, 'g');
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const name = m[0].slice(0, m[0].length - (m[1] ?? '').length);
    if (judgeName(name.replace(/^-+/, '')) !== 'secret') continue;
    const at = m.index + m[0].length;
    // `--password --verbose`: the tool will ask; `--password` at the end of a line: the same.
    if (m[1] !== '=' && (text[at] === '-' || text[at] === '\n' || text[at] === undefined)) continue;
    if (isReference(text.slice(at, at + 2))) continue;
    const value = valueExtent(text, at);
    if (!value || isReference(text.slice(value.start, value.end))) continue;
    report(value.start, value.end);
    re.lastIndex = Math.max(re.lastIndex, value.end);
  }
}

function scanXml(text: string, report: Report): void {
  const re = new RegExp(XML_ELEMENT.source, 'g');
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const name = m[1] ?? '';
    if (judgeName(name) !== 'secret') continue;
    const start = m.index + name.length + 2;
    report(start, start + (m[2] ?? '').length);
  }
}

export function secretAssignmentRules(options: { entropy: boolean }): Rule[] {
  return [
    { id: 'secret-name-assignment', scan: (text, report) => scanAssignments(text, report, options.entropy) },
    { id: 'secret-name-flag', scan: scanFlags },
    { id: 'secret-name-element', scan: scanXml },
  ];
}
