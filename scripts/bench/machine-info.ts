import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, release, totalmem, type } from 'node:os';
import { fileURLToPath } from 'node:url';

// What the figures were measured on: they mean little without it.

export interface MachineInfo {
  cores: number;
  cpu: string;
  memoryGb: number;
  os: string;
  node: string;
  claudeCode: string;
  claudeOtel: string;
  /** BENCH_REVISION, else `git describe --always --dirty` of the measured tree, when git can tell. */
  revision?: string;
  /** 1-minute load average when the bench started and when it ended: other work skews the figures. */
  load: { start: number; end?: number };
}

export function oneMinuteLoad(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}

const REPO = fileURLToPath(new URL('../../', import.meta.url));

function firstLine(file: string, args: string[]): string | undefined {
  try {
    return execFileSync(file, args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 })
      .trim()
      .split('\n')[0];
  } catch {
    return undefined;
  }
}

export async function machineInfo(claudeBin: string): Promise<MachineInfo> {
  const pkg: unknown = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
  const version: unknown = typeof pkg === 'object' && pkg !== null ? Reflect.get(pkg, 'version') : undefined;
  // An exported tree (git archive) has no history to ask: BENCH_REVISION names it.
  const revision = process.env.BENCH_REVISION?.trim() || firstLine('git', ['describe', '--always', '--dirty']);
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    os: `${type()} ${release()}`,
    node: process.version,
    claudeCode: (firstLine(claudeBin, ['--version']) ?? 'unknown').replace(/\s*\(Claude Code\)\s*$/, ''),
    claudeOtel: typeof version === 'string' ? version : 'unknown',
    ...(revision ? { revision } : {}),
    load: { start: oneMinuteLoad() },
  };
}
