import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHookPayload } from './hook-payloads.ts';
import type { HookPayload } from './hook-payloads.ts';
import type { HookEventName } from './hook-events.ts';

// The run's spool directory: the hooks (hook-settings.ts) write one payload per file, the
// wrapper reads them in the order the hooks fired and removes them. A file that does not
// parse yet is still being written: it and everything after it wait for the next read.

export interface SpooledPayload {
  payload: HookPayload;
  /** When the hook wrote it (the file's modification time), ms since the epoch. */
  time: number;
}

export interface SpoolDrain {
  payloads: SpooledPayload[];
  /** Files given up on: never complete, or not a hook payload. */
  dropped: number;
}

const SPOOL_PREFIX = 'claude-otel-hooks-';
/** A spool directory untouched for this long, whose wrapper is gone, is left over. */
export const STALE_SPOOL_MS = 24 * 60 * 60_000;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as someone else.
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

/** A file still unparseable after this long was cut short (a killed hook): drop it. */
const INCOMPLETE_GRACE_MS = 5_000;
const POLL_INTERVAL_MS = 200;
/** Coalesces the several change events one payload file produces. */
const WATCH_DEBOUNCE_MS = 10;

/** Ties in modification time (coarse file-system clocks) are broken in the order claude fires hooks. */
const FIRING_ORDER: Record<HookEventName, number> = {
  SessionEnd: 0,
  SessionStart: 1,
  UserPromptSubmit: 2,
  PreToolUse: 3,
  PermissionRequest: 3.5,
  SubagentStart: 4,
  PostToolUse: 5,
  PostToolUseFailure: 5,
  SubagentStop: 6,
  Stop: 7,
  StopFailure: 7,
};

interface SpoolFile {
  name: string;
  mtimeNs: bigint;
  payload: HookPayload | undefined;
  complete: boolean;
}

export class HookSpool {
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;

  private constructor(readonly dir: string) {}

  /** A new private directory (mode 0700) under the system's temporary directory, named with our pid. */
  static create(): HookSpool {
    return new HookSpool(mkdtempSync(join(tmpdir(), `${SPOOL_PREFIX}${process.pid}-`)));
  }

  /**
   * Removes spool directories a killed wrapper (SIGKILL) left behind: this user's, untouched
   * for a day, and not of a wrapper still running. Returns how many went.
   */
  static removeStale(now = Date.now(), dir = tmpdir()): number {
    let removed = 0;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return 0;
    }
    const uid = process.getuid?.();
    for (const name of names) {
      if (!name.startsWith(SPOOL_PREFIX)) continue;
      const path = join(dir, name);
      try {
        const stat = lstatSync(path);
        if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid) || now - stat.mtimeMs < STALE_SPOOL_MS) continue;
        const pid = Number(/^(\d+)-/.exec(name.slice(SPOOL_PREFIX.length))?.[1]);
        if (pid && pid !== process.pid && isRunning(pid)) continue;
        rmSync(path, { recursive: true, force: true });
        removed += 1;
      } catch {
        // gone meanwhile, or not ours to remove
      }
    }
    return removed;
  }

  /** Calls `onChange` soon after a hook writes (file-system events, with polling as a fallback). */
  watch(onChange: () => void): void {
    const soon = () => {
      if (this.debounce) return;
      this.debounce = setTimeout(() => {
        this.debounce = undefined;
        onChange();
      }, WATCH_DEBOUNCE_MS);
      this.debounce.unref();
    };
    try {
      this.watcher = watch(this.dir, { persistent: false }, soon);
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // No file-system events here (e.g. inotify limits): polling alone.
    }
    this.timer = setInterval(onChange, POLL_INTERVAL_MS);
    this.timer.unref();
  }

  stopWatching(): void {
    this.watcher?.close();
    this.watcher = undefined;
    if (this.timer) clearInterval(this.timer);
    if (this.debounce) clearTimeout(this.debounce);
    this.timer = this.debounce = undefined;
  }

  /**
   * The payloads written so far, oldest first, removed from the spool. With `final`
   * (claude has exited, no hook is still writing), incomplete files are dropped.
   */
  drain(final: boolean): SpoolDrain {
    const out: SpoolDrain = { payloads: [], dropped: 0 };
    const files = this.readFiles();
    const nowNs = BigInt(Date.now()) * 1_000_000n;
    for (const file of files) {
      if (!file.complete) {
        const stale = nowNs - file.mtimeNs > BigInt(INCOMPLETE_GRACE_MS) * 1_000_000n;
        if (!final && !stale) break;
        this.removeFile(file.name);
        out.dropped += 1;
        continue;
      }
      this.removeFile(file.name);
      // Whole milliseconds, like every other time the wrapper records.
      if (file.payload) out.payloads.push({ payload: file.payload, time: Number((file.mtimeNs + 500_000n) / 1_000_000n) });
      else out.dropped += 1;
    }
    return out;
  }

  /** Removes the directory and whatever is left in it. */
  remove(): void {
    this.stopWatching();
    try {
      rmSync(this.dir, { recursive: true, force: true });
    } catch {
      // nothing more to do about it
    }
  }

  private removeFile(name: string): void {
    try {
      unlinkSync(join(this.dir, name));
    } catch {
      // already gone
    }
  }

  private readFiles(): SpoolFile[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const files: SpoolFile[] = [];
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      try {
        const path = join(this.dir, name);
        const { mtimeNs } = statSync(path, { bigint: true });
        const text = readFileSync(path, 'utf8');
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          files.push({ name, mtimeNs, payload: undefined, complete: false });
          continue;
        }
        files.push({ name, mtimeNs, payload: parseHookPayload(value), complete: true });
      } catch {
        // removed meanwhile
      }
    }
    return files.sort((a, b) => {
      if (a.mtimeNs !== b.mtimeNs) return a.mtimeNs < b.mtimeNs ? -1 : 1;
      const rank = (f: SpoolFile) => (f.payload ? FIRING_ORDER[f.payload.event] : 0);
      return rank(a) - rank(b) || a.name.localeCompare(b.name);
    });
  }
}
