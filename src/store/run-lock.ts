import { mkdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { PRIVATE_DIR_MODE } from '../private-files.ts';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

// The per-run lock: `<run dir>/replay.lock/`, created with an atomic mkdir, so two senders (a
// replay, another run sending what was missed, the wrapper sending its own session) never work
// on the same run. A lock untouched for 10 minutes, or whose owner process is gone, is stale and
// may be taken over; retention leaves a run with a fresh lock alone.

export const REPLAY_LOCK_DIR = 'replay.lock';
export const REPLAY_LOCK_STALE_MS = 10 * 60_000;

/** True while a replay holds a fresh lock on the run (retention leaves such runs alone). */
export function isBeingReplayed(runDir: string, now: number = Date.now()): boolean {
  try {
    return now - statSync(join(runDir, REPLAY_LOCK_DIR)).mtimeMs < REPLAY_LOCK_STALE_MS;
  } catch {
    return false;
  }
}

const OWNER_FILE = 'owner';

export class RunLock {
  private constructor(
    private readonly path: string,
    private readonly token: string,
  ) {}

  static acquire(runDir: string): RunLock | undefined {
    const path = join(runDir, REPLAY_LOCK_DIR);
    const token = `${process.pid}-${randomBytes(6).toString('hex')}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        mkdirSync(path, { mode: PRIVATE_DIR_MODE });
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') return undefined;
        if (!breakIfStale(path, token)) return undefined;
        continue;
      }
      try {
        writeFileSync(join(path, OWNER_FILE), token, { mode: 0o600 });
      } catch {
        rmSync(path, { recursive: true, force: true });
        return undefined;
      }
      return new RunLock(path, token);
    }
    return undefined;
  }

  /** False once someone broke the lock (it went stale); stop working on the run then. */
  held(): boolean {
    try {
      return readFileSync(join(this.path, OWNER_FILE), 'utf8') === this.token;
    } catch {
      return false;
    }
  }

  /** Keeps a long replay's lock from looking stale. */
  refresh(): void {
    try {
      const now = new Date();
      utimesSync(this.path, now, now);
    } catch {
      // held() notices a lost lock
    }
  }

  release(): void {
    if (this.held()) rmSync(this.path, { recursive: true, force: true });
  }
}

/**
 * Removes a stale lock. It is first renamed away (atomic: of two replays breaking the same
 * lock, one wins); if what was renamed turns out to be fresh, a replay took it between our
 * look and the rename, and it is put back.
 */
/** The lock's owner names its process (`<pid>-<random>`): gone once no process has that pid. */
function ownerGone(path: string): boolean {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(join(path, OWNER_FILE), 'utf8').split('-')[0] ?? '', 10);
  } catch {
    return false;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return errorCode(error) === 'ESRCH';
  }
}

function breakIfStale(path: string, token: string): boolean {
  try {
    if (Date.now() - statSync(path).mtimeMs < REPLAY_LOCK_STALE_MS && !ownerGone(path)) return false;
  } catch {
    return true;
  }
  const aside = `${path}.stale-${token}`;
  try {
    renameSync(path, aside);
  } catch {
    return true;
  }
  try {
    if (Date.now() - statSync(aside).mtimeMs < REPLAY_LOCK_STALE_MS && !ownerGone(aside)) {
      renameSync(aside, path);
      return false;
    }
  } catch {
    return false;
  }
  rmSync(aside, { recursive: true, force: true });
  return true;
}

function errorCode(error: unknown): unknown {
  return error instanceof Error ? Reflect.get(error, 'code') : undefined;
}
