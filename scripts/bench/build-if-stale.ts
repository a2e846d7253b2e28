import { spawnSync } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binEntry } from './bin-entry.ts';

// The bench runs the wrapper from dist/, as users do; it rebuilds first when any source file
// is newer than what it compiles to, or than the module the command's bin script loads.

const REPO = fileURLToPath(new URL('../../', import.meta.url));

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(path)));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

async function mtimeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Why dist/ needs a build, if it does. */
async function staleness(): Promise<string | undefined> {
  const src = join(REPO, 'src');
  const target = await binEntry();
  const loaded = target ? await mtimeOf(target) : undefined;
  if (target && loaded === undefined) return `${relative(REPO, target)} is missing`;
  for (const file of await sourceFiles(src)) {
    const compiled = join(REPO, 'dist', relative(src, file).replace(/\.ts$/, '.js'));
    const [source, output] = await Promise.all([mtimeOf(file), mtimeOf(compiled)]);
    if (output === undefined || source === undefined) return `${relative(REPO, file)} is not compiled`;
    if (source > output || (loaded !== undefined && source > loaded)) return `${relative(REPO, file)} changed since the last build`;
  }
  return undefined;
}

export async function buildIfStale(log: (line: string) => void): Promise<void> {
  const reason = await staleness();
  if (!reason) return;
  log(`${reason}: npm run build`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', 'build'], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
  if (build.status !== 0) throw new Error('npm run build failed; the bench needs a built dist/');
}
