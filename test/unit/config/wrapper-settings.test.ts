import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WRAPPER_SETTINGS, wrapperSettingNames } from '../../../src/config/wrapper-settings.ts';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

test('every OTEL_* and CLAUDE_OTEL_* variable the source names is in WRAPPER_SETTINGS', () => {
  const known = new Set(wrapperSettingNames());
  const named = new Set<string>();
  for (const file of sourceFiles(SRC)) {
    // Names built per signal (`OTEL_EXPORTER_OTLP_${signal}_...`) end in `_` here; the per-signal entries cover them.
    for (const [name] of readFileSync(file, 'utf8').matchAll(/\b(?:CLAUDE_)?OTEL_[A-Z0-9_]*[A-Z0-9]\b/g)) named.add(name);
  }
  assert.deepEqual([...named].filter((n) => !known.has(n)).sort(), []);
});

test('docs/telemetry.md documents every setting, and each has a one-line meaning', () => {
  const docs = readFileSync(new URL('../../../docs/telemetry.md', import.meta.url), 'utf8');
  for (const { name, meaning } of WRAPPER_SETTINGS) {
    // A per-signal variable is documented by its pattern, its `..._{TRACES,LOGS,METRICS}_X` short form, or each name.
    const short = name.replace('OTEL_EXPORTER_OTLP_{TRACES,LOGS,METRICS}_', '..._{TRACES,LOGS,METRICS}_');
    const each = ['TRACES', 'LOGS', 'METRICS'].map((signal) => name.replace('{TRACES,LOGS,METRICS}', signal));
    assert.ok(docs.includes(name) || docs.includes(short) || each.every((n) => docs.includes(n)), name);
    assert.ok(meaning.length > 0 && !meaning.includes('\n'), name);
  }
});
