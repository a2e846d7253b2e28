import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { WRAPPER_SETTINGS } from '../../../src/config/settings-list.ts';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));
const DOCS = readFileSync(fileURLToPath(new URL('../../../docs/telemetry.md', import.meta.url)), 'utf8');
/** The lists of names themselves, not places that read a variable. */
const LISTS = new Set(['settings-list.ts', 'standard-otel-variables.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') && !LISTS.has(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Anywhere in src/, not only src/config/: --otel-help and doctor list WRAPPER_SETTINGS as the wrapper's settings. */
function namesInSource(): string[] {
  const names = new Set<string>();
  for (const file of sourceFiles(SRC)) {
    // Names built per signal (`OTEL_EXPORTER_OTLP_${signal}_...`) end in `_` here; the per-signal entries cover them.
    for (const match of readFileSync(file, 'utf8').matchAll(/\b(?:CLAUDE_)?OTEL_[A-Z0-9_]*[A-Z0-9]\b/g)) names.add(match[0]);
  }
  return [...names].sort();
}

/** Named in the settings reference: as written, or as a per-signal `..._{TRACES,LOGS,METRICS}_<PART>`. */
function documented(name: string): boolean {
  if (DOCS.includes(`\`${name}\``) || DOCS.includes(`\`${name}=`)) return true;
  const part = /^OTEL_EXPORTER_OTLP_(?:TRACES|LOGS|METRICS)_(\w+)$/.exec(name)?.[1];
  return part !== undefined && (DOCS.includes(`..._{TRACES,LOGS,METRICS}_${part}\``) || DOCS.includes(`OTEL_EXPORTER_OTLP_{TRACES,LOGS,METRICS}_${part}\``));
}

test('every OTEL_* and CLAUDE_OTEL_* variable src/ names is in WRAPPER_SETTINGS', () => {
  const listed = new Set(WRAPPER_SETTINGS.map((s) => s.name));
  const read = namesInSource();
  assert.ok(read.length > 30, `found ${read.length} names`);
  assert.deepEqual(
    read.filter((name) => !listed.has(name)),
    [],
  );
});

test('every setting in WRAPPER_SETTINGS is in the settings reference, once, with a one-line description', () => {
  assert.deepEqual(
    WRAPPER_SETTINGS.filter((s) => !documented(s.name)).map((s) => s.name),
    [],
  );
  assert.equal(new Set(WRAPPER_SETTINGS.map((s) => s.name)).size, WRAPPER_SETTINGS.length);
  for (const setting of WRAPPER_SETTINGS) assert.match(setting.description, /^[^\n]{5,120}$/, setting.name);
});
