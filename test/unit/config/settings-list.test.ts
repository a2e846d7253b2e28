import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { WRAPPER_SETTINGS } from '../../../src/config/settings-list.ts';

const CONFIG_DIR = fileURLToPath(new URL('../../../src/config/', import.meta.url));
const DOCS = readFileSync(fileURLToPath(new URL('../../../docs/telemetry.md', import.meta.url)), 'utf8');
/** The lists of names themselves, not places that read a variable. */
const LISTS = new Set(['settings-list.ts', 'standard-otel-variables.ts']);

function namesReadInConfig(): string[] {
  const names = new Set<string>();
  for (const file of readdirSync(CONFIG_DIR).filter((f) => f.endsWith('.ts') && !LISTS.has(f))) {
    for (const match of readFileSync(join(CONFIG_DIR, file), 'utf8').matchAll(/\b(?:CLAUDE_)?OTEL_[A-Z0-9_]*[A-Z0-9]\b/g)) names.add(match[0]);
  }
  return [...names].sort();
}

/** Named in the settings reference: as written, or as a per-signal `..._{TRACES,LOGS,METRICS}_<PART>`. */
function documented(name: string): boolean {
  if (DOCS.includes(`\`${name}\``) || DOCS.includes(`\`${name}=`)) return true;
  const part = /^OTEL_EXPORTER_OTLP_(?:TRACES|LOGS|METRICS)_(\w+)$/.exec(name)?.[1];
  return part !== undefined && (DOCS.includes(`..._{TRACES,LOGS,METRICS}_${part}\``) || DOCS.includes(`OTEL_EXPORTER_OTLP_{TRACES,LOGS,METRICS}_${part}\``));
}

test('every variable src/config reads is in WRAPPER_SETTINGS', () => {
  const listed = new Set(WRAPPER_SETTINGS.map((s) => s.name));
  const read = namesReadInConfig();
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
