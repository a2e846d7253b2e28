import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// `serve`'s server is loaded only by that command: it is in no static import graph of the
// wrapper (what claude waits for, and what runs beside it) nor of the other ctl commands.

const SRC = join(import.meta.dirname, '..', '..', '..', '..', 'src');
const STATIC_IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|(?:^|\n)\s*import\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/** Every file `entry` loads through static imports (dynamic `import()` is left out). */
function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      const specifier = match[1] ?? match[2];
      if (specifier) visit(resolve(dirname(file), specifier));
    }
  };
  visit(join(SRC, entry));
  return new Set([...seen].map((f) => relative(SRC, f)));
}

test("the serve command's modules are in neither the wrapper's nor the ctl's static import graph", () => {
  for (const entry of ['cli/claude-otel.ts', 'cli/recorded-session.ts', 'cli/claude-otel-ctl.ts', 'index.ts']) {
    const graph = staticGraph(entry);
    assert.ok(graph.size > 3, `${entry}: the graph was read`);
    assert.deepEqual(
      [...graph].filter((f) => f.startsWith('ctl/serve/')),
      [],
      entry,
    );
  }
  assert.ok(staticGraph('cli/claude-otel-ctl.ts').has('ctl/commands/serve-command.ts'), 'the command itself is registered');
});
