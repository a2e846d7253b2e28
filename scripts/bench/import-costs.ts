import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
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
  recording: 'the recording and the telemetry runtime, loaded once claude is running',
  server: "ctl serve's server, loaded by that command alone (neither the wrapper nor the other commands import it)",
};

/** The bundle's module whose name starts so (chunks carry a content hash), relative to the repository. */
async function bundled(prefix: string): Promise<string | undefined> {
  const names = await readdir(new URL('../../dist/bundle/', import.meta.url)).catch(() => []);
  const name = names.find((n) => n.startsWith(prefix) && n.endsWith('.js'));
  return name ? `./dist/bundle/${name}` : undefined;
}

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
  const recording = await bundled('recorded-session.');
  if (recording) notes.set(recording, WRAPPER_MODULE_NOTES.recording ?? '');
  const server = await bundled('trace-server-');
  if (server) notes.set(server, WRAPPER_MODULE_NOTES.server ?? '');
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
