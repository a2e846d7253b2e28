import { execFileSync } from 'node:child_process';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// The small sh programs the bench puts where claude would be: one that stamps when claude
// starts and ends (so the wrapper's own time can be told from claude's), and a fake claude
// that replays a recorded stream.

export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

async function writeScript(path: string, body: string): Promise<string> {
  await writeFile(path, `#!/bin/sh\n${body}`);
  await chmod(path, 0o755);
  return path;
}

/**
 * Appends `spawn <ns>` to $BENCH_MARKS, runs `command` with the script's arguments, appends
 * `exit <ns>`, and exits with the command's code. Not exec'd, so the exit can be stamped.
 */
export function writeStampingShim(dir: string, name: string, command: string): Promise<string> {
  return writeScript(
    join(dir, name),
    [
      `printf 'spawn %s\\n' "$(date +%s%N)" >> "$BENCH_MARKS"`,
      `${command} "$@"`,
      'code=$?',
      `printf 'exit %s\\n' "$(date +%s%N)" >> "$BENCH_MARKS"`,
      'exit $code',
      '',
    ].join('\n'),
  );
}

/** A claude that prints a recorded stream-json session, whatever it is asked. */
export function writeReplayingClaude(dir: string, streamFile: string, name = 'claude-replay'): Promise<string> {
  return writeScript(join(dir, name), `exec cat ${shellQuote(streamFile)}\n`);
}

export interface Stamps {
  spawnMs?: number;
  exitMs?: number;
}

/** Nanosecond stamps become wall-clock ms with microsecond precision (ns overflow a double). */
function nsToMs(ns: string): number {
  return Number(BigInt(ns) / 1000n) / 1000;
}

export async function readStamps(file: string): Promise<Stamps> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return {};
  }
  const stamps: Stamps = {};
  for (const line of text.split('\n')) {
    const [kind, ns] = line.split(' ');
    if (!ns || !/^\d+$/.test(ns)) continue;
    if (kind === 'spawn') stamps.spawnMs = nsToMs(ns);
    if (kind === 'exit') stamps.exitMs = nsToMs(ns);
  }
  return stamps;
}

/** The stamps need GNU date's %N; without it the timings would be whole seconds. */
export function assertNanosecondDate(): void {
  const out = execFileSync('date', ['+%s%N'], { encoding: 'utf8' }).trim();
  if (!/^\d{19}$/.test(out)) throw new Error(`the bench needs a date(1) that knows +%N (GNU coreutils); got "${out}"`);
}
