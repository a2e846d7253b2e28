import type { Report, Rule } from './redaction-engine.ts';
import { judgeName } from './secret-names.ts';
import { isReference, valueExtent } from './value-extent.ts';
import { skipBlanks, wordEnd } from './shell-words.ts';

// Commands that store a setting given as two words, name then value, with no `=` between them:
// `aws configure set aws_secret_access_key X`, `npm config set //registry/:_authToken X`,
// `yarn config set npmAuthToken X`, `git config --global user.password X`. The value is hidden
// when the name says it is secret (the same judgement as `name=value`).

const SETTER =
  /(?<![A-Za-z0-9_.-])(?:aws[ \t]+configure[ \t]+set|(?:npm|pnpm|yarn)[ \t]+(?:config[ \t]+)?set|git[ \t]+config(?:[ \t]+--(?:global|local|system|worktree))?)[ \t]+/g;

function scanSetters(text: string, report: Report): void {
  const re = new RegExp(SETTER.source, 'g');
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const nameAt = m.index + m[0].length;
    const nameEnd = wordEnd(text, nameAt);
    const name = text.slice(nameAt, nameEnd).replace(/^["']|["']$/g, '');
    // `npm config set key=value` is an assignment, judged by its name elsewhere.
    if (name.length === 0 || name.startsWith('-') || name.includes('=') || judgeName(name) !== 'secret') continue;
    const valueAt = skipBlanks(text, nameEnd);
    if (valueAt === nameEnd || text[valueAt] === '-' || isReference(text.slice(valueAt, valueAt + 2))) continue;
    const value = valueExtent(text, valueAt);
    if (!value || isReference(text.slice(value.start, value.end))) continue;
    report(value.start, value.end);
    re.lastIndex = Math.max(re.lastIndex, value.end);
  }
}

export const SETTING_COMMAND_RULES: readonly Rule[] = [{ id: 'setting-command', scan: scanSetters }];
