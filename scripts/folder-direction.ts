// Fails when two top-level folders of src/ import each other: between stages, imports go one
// way (madge already rejects file-level cycles; this catches the folder-level tangles it
// cannot see). Files at src/'s top are shared by every stage and are not checked.
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The top-level folder of a path relative to src/, or undefined for a file at the top. */
function folderOf(path: string): string | undefined {
  const parts = path.split('/');
  return parts.length > 1 ? parts[0] : undefined;
}

const edges = new Map<string, string[]>();
for (const file of sourceFiles(SRC)) {
  const from = relative(SRC, file).split('\\').join('/');
  for (const match of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
    const to = posix.normalize(posix.join(posix.dirname(from), match[1] ?? ''));
    const [a, b] = [folderOf(from), folderOf(to)];
    if (a === undefined || b === undefined || a === b) continue;
    const key = `${a} -> ${b}`;
    edges.set(key, [...(edges.get(key) ?? []), `${from} imports ${to}`]);
  }
}

const tangles: string[] = [];
for (const [key, examples] of edges) {
  const [a, b] = key.split(' -> ');
  const back = edges.get(`${b} -> ${a}`);
  if (back && (a ?? '') < (b ?? '')) tangles.push(`${a} and ${b} import each other: ${examples[0]}; ${back[0]}`);
}
if (tangles.length > 0) {
  for (const tangle of tangles) process.stderr.write(`${tangle}\n`);
  process.exit(1);
}
process.stdout.write('No two top-level folders of src/ import each other.\n');
