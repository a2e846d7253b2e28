import { spawnSync } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// The tests and the bench run the package from dist/, as users do. They build first when dist/
// is missing a part or is older than anything it is made from; a fresh `npm install` has just
// built, so they do not build again.

const REPO = fileURLToPath(new URL('../', import.meta.url));
/** What the build writes: the commands, the library, its declarations. */
const OUTPUTS = [
  'dist/bundle/claude-otel.js',
  'dist/bundle/claude-otel-ctl.js',
  'dist/lib/index.js',
  'dist/lib/index.cjs',
  'dist/lib/index.d.cts',
  'dist/index.d.ts',
  'dist/api.d.ts',
];
/** What the build reads besides src/ (not package.json, which packing rewrites). */
const INPUTS = ['tsconfig.json', 'tsconfig.build.json', 'scripts/bundle.ts'];

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(path)));
    else if (entry.name.endsWith('.ts')) out.push(path);
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
export async function staleness(): Promise<string | undefined> {
  let built = Number.POSITIVE_INFINITY;
  for (const output of OUTPUTS) {
    const time = await mtimeOf(join(REPO, output));
    if (time === undefined) return `${output} is missing`;
    built = Math.min(built, time);
  }
  for (const file of [...INPUTS.map((name) => join(REPO, name)), ...(await sourceFiles(join(REPO, 'src')))]) {
    const time = await mtimeOf(file);
    if (time !== undefined && time > built) return `${relative(REPO, file)} changed since the last build`;
  }
  return undefined;
}

/** Builds when dist/ is stale; false when the build failed. */
export async function buildIfStale(log: (line: string) => void): Promise<boolean> {
  const reason = await staleness();
  if (!reason) return true;
  log(`${reason}: npm run build`);
  const build = spawnSync('npm', ['run', 'build'], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
  return build.status === 0;
}
