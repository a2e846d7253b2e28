import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as names from '../../../src/telemetry/names.ts';

// docs/telemetry.md is the user contract: every name the code emits is documented, and every
// name the docs give is one the code emits. The docs' names are the dotted words in backticks
// (`claude.cost_usd` in the attribute, event and metric tables, ### `claude.session`, and
// `event.name` in the prose); the code's are the values src/telemetry/names.ts exports, and
// no other source file may type a name out.

const root = new URL('../../../', import.meta.url).pathname;
const DOTTED = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

/**
 * Dotted words the docs put in backticks that are not telemetry names. Each is explained:
 * a wrong name must never hide here.
 */
const NOT_NAMES = new Map<string, string>([
  ['usage.cache_creation.ephemeral_1h_input_tokens', "a field of claude's own API usage, which the cost section explains"],
  ['package.json', 'a file (the pinned CLI version)'],
  ['meta.json', 'a file of the local store'],
  ['started.json', 'a file of the local store'],
  ['core.fsmonitor', "a git setting the git context never lets a repository's configuration set"],
]);

/** Every string value names.ts exports. */
function codeNames(): Set<string> {
  return new Set(Object.values(names).filter((v): v is string => typeof v === 'string'));
}

function docNames(): Map<string, number> {
  const found = new Map<string, number>();
  readFileSync(join(root, 'docs/telemetry.md'), 'utf8')
    .split('\n')
    .forEach((line, i) => {
      for (const [, word] of line.matchAll(/`([^`]+)`/g)) {
        if (word !== undefined && DOTTED.test(word) && !NOT_NAMES.has(word) && !found.has(word)) found.set(word, i + 1);
      }
    });
  return found;
}

test('docs/telemetry.md documents every name the code emits', () => {
  const documented = docNames();
  const missing = [...codeNames()].filter((name) => DOTTED.test(name) && !documented.has(name));
  assert.deepEqual(missing, [], `names in src/telemetry/names.ts that docs/telemetry.md lacks: ${missing.join(', ')}`);
});

test('docs/telemetry.md names nothing the code does not emit', () => {
  const emitted = codeNames();
  const unknown = [...docNames()].filter(([name]) => !emitted.has(name)).map(([name, line]) => `${name} (line ${line})`);
  assert.deepEqual(unknown, [], `names in docs/telemetry.md that src/telemetry/names.ts lacks: ${unknown.join(', ')}`);
});

test('the docs still use every word listed as not a name', () => {
  const text = readFileSync(join(root, 'docs/telemetry.md'), 'utf8');
  for (const word of NOT_NAMES.keys()) assert.ok(text.includes(`\`${word}\``), `${word} is no longer in docs/telemetry.md: drop it from NOT_NAMES`);
});

/** Quoted words in a source line that look like one of claude-otel's names. */
const NAME_LITERAL = /['"`]((?:claude|gen_ai|vcs|cicd)\.[a-z0-9_.]+|[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)['"`]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

test('no source file but src/telemetry/names.ts types out a telemetry name', () => {
  const emitted = codeNames();
  const typed: string[] = [];
  for (const file of sourceFiles(join(root, 'src'))) {
    if (file.endsWith(join('telemetry', 'names.ts'))) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (/^\s*(\/\/|\*|\/\*)/.test(line)) return;
        for (const [, word] of line.matchAll(NAME_LITERAL)) {
          if (word !== undefined && (emitted.has(word) || /^(claude|gen_ai|vcs|cicd)\./.test(word))) typed.push(`${file.slice(root.length)}:${i + 1} ${word}`);
        }
      });
  }
  assert.deepEqual(typed, [], `names typed outside src/telemetry/names.ts (import them from there): ${typed.join(', ')}`);
});
