import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { median } from './stats.ts';
import { binEntryRelative } from './bin-entry.ts';

// What loading each piece costs on its own, in a fresh node: the module the wrapper's bin
// loads (all it loads before spawning claude), the telemetry it loads once claude runs, and
// every runtime dependency. Shared modules count in each that uses them, so the rows do not
// add up.

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

/** Runs in a fresh node, from the repository, so that bare specifiers resolve as the wrapper's do. */
const MEASURE = `const rss = process.memoryUsage().rss; const t = performance.now(); await import(process.argv[1]);
console.log(JSON.stringify({ ms: performance.now() - t, rssKb: (process.memoryUsage().rss - rss) / 1024 }));`;

export interface ImportCost {
  module: string;
  /** What the module is to the wrapper, for its own modules. */
  note?: string;
  ms: number;
  rssKb: number;
}

/** What the wrapper's own modules in the table are. */
export const WRAPPER_MODULE_NOTES: Record<string, string> = {
  entry: "the bin's entry module: everything loaded before claude is spawned",
  './dist/modes/telemetry-runtime.js': 'the telemetry runtime as tsc compiles it, loaded once claude is running',
  './dist/ctl/serve/trace-server.js':
    "ctl serve's server as tsc compiles it, loaded by that command alone (neither the wrapper nor the other commands import it)",
};

async function dependencies(): Promise<string[]> {
  const pkg: unknown = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
  const deps: unknown = typeof pkg === 'object' && pkg !== null ? Reflect.get(pkg, 'dependencies') : undefined;
  return typeof deps === 'object' && deps !== null ? Object.keys(deps) : [];
}

async function measureOnce(module: string): Promise<{ ms: number; rssKb: number } | undefined> {
  try {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', MEASURE, module], { cwd: REPO, timeout: 30_000 });
    const value: unknown = JSON.parse(stdout.trim().split('\n').pop() ?? '');
    if (typeof value !== 'object' || value === null) return undefined;
    const ms: unknown = Reflect.get(value, 'ms');
    const rssKb: unknown = Reflect.get(value, 'rssKb');
    return typeof ms === 'number' && typeof rssKb === 'number' ? { ms, rssKb } : undefined;
  } catch {
    return undefined;
  }
}

export async function measureImportCosts(options: { repeats: number }): Promise<ImportCost[]> {
  const entry = await binEntryRelative();
  const notes = new Map<string, string>();
  if (entry) notes.set(entry, WRAPPER_MODULE_NOTES.entry ?? '');
  notes.set('./dist/modes/telemetry-runtime.js', WRAPPER_MODULE_NOTES['./dist/modes/telemetry-runtime.js'] ?? '');
  notes.set('./dist/ctl/serve/trace-server.js', WRAPPER_MODULE_NOTES['./dist/ctl/serve/trace-server.js'] ?? '');
  const modules = [...notes.keys(), ...(await dependencies())];
  const costs: ImportCost[] = [];
  for (const module of modules) {
    const runs: { ms: number; rssKb: number }[] = [];
    for (let i = 0; i < options.repeats; i++) {
      const once = await measureOnce(module);
      if (once) runs.push(once);
    }
    const note = notes.get(module);
    if (runs.length > 0) costs.push({ module, ...(note ? { note } : {}), ms: median(runs.map((r) => r.ms)), rssKb: median(runs.map((r) => r.rssKb)) });
  }
  return costs;
}
