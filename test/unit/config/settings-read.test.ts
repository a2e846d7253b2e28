import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WRAPPER_SETTINGS } from '../../../src/config/settings-list.ts';
import { LOOP_MARKER } from '../../../src/launch/wrapper-loop.ts';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

// Anywhere in src/, not only in src/config/: --otel-help lists WRAPPER_SETTINGS as the wrapper's settings.
test('every OTEL_* and CLAUDE_OTEL_* variable the source names is in WRAPPER_SETTINGS (or is the loop marker)', () => {
  const known = new Set([...WRAPPER_SETTINGS.map((s) => s.name), LOOP_MARKER]);
  const named = new Set<string>();
  for (const file of sourceFiles(SRC)) {
    // Names built per signal (`OTEL_EXPORTER_OTLP_${signal}_...`) end in `_` here; the per-signal entries cover them.
    for (const [name] of readFileSync(file, 'utf8').matchAll(/\b(?:CLAUDE_)?OTEL_[A-Z0-9_]*[A-Z0-9]\b/g)) named.add(name);
  }
  assert.deepEqual([...named].filter((n) => !known.has(n)).sort(), []);
});
