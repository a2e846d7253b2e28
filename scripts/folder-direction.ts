// Fails when src/ has an import cycle, between files or between top-level folders: between
// stages, imports go one way. Files at src/'s top are shared by every stage and take no part in
// the folders' check. Type-only imports count: a cycle through types is still a tangle.
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
/** Each file's imports of other files of src/, by their paths relative to src/. */
const imports = new Map<string, string[]>();
for (const file of sourceFiles(SRC)) {
  const from = relative(SRC, file).split('\\').join('/');
  imports.set(from, []);
  for (const match of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
    const to = posix.normalize(posix.join(posix.dirname(from), match[1] ?? ''));
    imports.get(from)?.push(to);
    const [a, b] = [folderOf(from), folderOf(to)];
    if (a === undefined || b === undefined || a === b) continue;
    const key = `${a} -> ${b}`;
    edges.set(key, [...(edges.get(key) ?? []), `${from} imports ${to}`]);
  }
}

/** One cycle among the files, as the chain of its files, or undefined when there is none. */
function fileCycle(): string[] | undefined {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string): string[] | undefined => {
    const at = path.indexOf(file);
    if (at >= 0) return [...path.slice(at), file];
    if (done.has(file) || !imports.has(file)) return undefined;
    path.push(file);
    for (const next of imports.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(file);
    return undefined;
  };
  for (const file of [...imports.keys()].sort()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return undefined;
}

const cycle = fileCycle();
if (cycle) {
  process.stderr.write(`an import cycle: ${cycle.join(' -> ')}\n`);
  process.exit(1);
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
process.stdout.write(`No import cycle among the ${imports.size} files of src/, and no two top-level folders import each other.\n`);
