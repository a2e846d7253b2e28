import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The library and the commands run from plain Node, out of an installed package: every other
// package is imported by a name it exports, never by a file inside it (a private build path
// that moves between releases, and that only a bundler may resolve).

const SRC = join(import.meta.dirname, '..', '..', 'src');
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** The part of a bare specifier after the package name, `''` for the name itself. */
function subpath(specifier: string): string {
  const parts = specifier.split('/');
  return parts.slice(specifier.startsWith('@') ? 2 : 1).join('/');
}

/** Whether the package offers the subpath: listed in its `exports`, or without `exports`, a file at its top (`protobufjs/light.js`), not one deep inside its build. */
function isPublic(specifier: string, path: string): boolean {
  const exported = exportedSubpaths(specifier);
  return exported === undefined ? !path.includes('/') : exported.has(path);
}

function exportedSubpaths(specifier: string): Set<string> | undefined {
  const parts = specifier.split('/');
  const name = parts.slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
  const manifest: unknown = JSON.parse(readFileSync(join(SRC, '..', 'node_modules', name, 'package.json'), 'utf8'));
  const exportsField = typeof manifest === 'object' && manifest !== null && 'exports' in manifest ? manifest.exports : undefined;
  if (exportsField === undefined) return undefined;
  if (typeof exportsField !== 'object' || exportsField === null) return new Set(['']);
  const keys = Object.keys(exportsField);
  return new Set(keys.some((key) => key.startsWith('.')) ? keys.map((key) => key.replace(/^\.\/?/, '')) : ['']);
}

test('src/ imports other packages only by their public entry points', () => {
  const offenders: string[] = [];
  for (const file of sourceFiles(SRC)) {
    for (const match of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      const specifier = match[1] ?? '';
      if (specifier.startsWith('.') || specifier.startsWith('node:')) continue;
      const path = subpath(specifier);
      if (path === '' || path === 'package.json') continue;
      if (!isPublic(specifier, path)) offenders.push(`${file.slice(SRC.length + 1)}: ${specifier}`);
    }
  }
  assert.deepEqual(offenders, []);
});
