import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_MARKER_FILE } from './flush-protocol.ts';
import { RUN_ID_PATTERN, fileMtimeMs, listRuns, removeRun, sessionsDir, writeFileAtomic } from './local-store.ts';
import type { RunListing } from './local-store.ts';
import { parseMeta } from './meta-schema.ts';
import { isBeingReplayed } from './run-lock.ts';
import type { RetentionSettings } from '../config/retention-config.ts';
import { MAX_SMALL_FILE_BYTES, readStoreFile } from './store-file.ts';
export { parseRetentionLimit, type RetentionSettings } from '../config/retention-config.ts';

// How long the local store keeps sessions, and how big it may grow:
//
//   CLAUDE_OTEL_STORE_MAX_AGE_DAYS (30)  a run older than this is removed, delivered or not;
//   CLAUDE_OTEL_STORE_MAX_MB (200)       while the store is bigger, the oldest delivered runs go.
//
// A run the collector has not accepted yet is kept however big the store is (only age removes
// it), and so is a run still being written (no meta.json yet) or being replayed right now.
//
// Prune removes only what the store wrote: a directory (never a link) under sessions/ that has
// the store's marker file, or, from before the marker, a run id's name and a valid meta.json.
// Anything else there, and anything reached through a link, is someone else's and stays.

/** The wrapper prunes at most this often. */
export const PRUNE_INTERVAL_MS = 60 * 60_000;
/** Written to the state dir after every prune; its mtime is the time of the last one. */
export const PRUNE_STAMP_FILE = 'last-prune';

const DAY_MS = 86_400_000;
const BYTES_PER_MB = 1024 * 1024;

export interface PruneOptions {
  stateDir: string;
  settings: RetentionSettings;
  /** Report what would go, remove nothing. */
  dryRun?: boolean;
  /** The wrapper's call at start: do nothing unless the last prune is over an hour old. */
  atMostHourly?: boolean;
  /** Runs never to remove, e.g. the calling wrapper's own. */
  excludeRunIds?: readonly string[];
  now?: number;
}

export interface PrunedRun {
  runId: string;
  reason: 'age' | 'size';
  bytes: number;
  ageDays: number;
  delivered: boolean;
}

export interface PruneReport {
  /** False when `atMostHourly` found a recent prune and did nothing. */
  ran: boolean;
  dryRun: boolean;
  settings: RetentionSettings;
  before: { runs: number; bytes: number };
  removed: PrunedRun[];
  after: { runs: number; bytes: number };
  /** Runs over the size limit that stay because the collector has not accepted them yet. */
  undeliveredKept: { runs: number; bytes: number };
  errors: { runId: string; message: string }[];
}

interface RunFacts {
  runId: string;
  dir: string;
  bytes: number;
  /** When the session last wrote a chunk or its meta.json. */
  lastWrite: number;
  delivered: boolean;
  finished: boolean;
}

export function pruneStore(options: PruneOptions): PruneReport {
  const now = options.now ?? Date.now();
  const dryRun = options.dryRun === true;
  const report: PruneReport = {
    ran: false,
    dryRun,
    settings: options.settings,
    before: { runs: 0, bytes: 0 },
    removed: [],
    after: { runs: 0, bytes: 0 },
    undeliveredKept: { runs: 0, bytes: 0 },
    errors: [],
  };
  const stamp = join(options.stateDir, PRUNE_STAMP_FILE);
  if (options.atMostHourly && (fileMtimeMs(stamp) ?? 0) > now - PRUNE_INTERVAL_MS) return report;
  report.ran = true;

  // Oldest first: age and size both remove the oldest runs before newer ones.
  const runs = ownRuns(options.stateDir)
    .map((run): RunFacts => ({ runId: run.runId, dir: run.dir, delivered: run.chunks.every((c) => c.delivered), ...sizeAndAge(run.dir, run.mtimeMs) }))
    .sort((a, b) => a.lastWrite - b.lastWrite || a.runId.localeCompare(b.runId));
  report.before = { runs: runs.length, bytes: sum(runs) };

  const excluded = new Set(options.excludeRunIds ?? []);
  const untouchable = (run: RunFacts) => excluded.has(run.runId) || isBeingReplayed(run.dir, now);
  const remove = (run: RunFacts, reason: PrunedRun['reason']): boolean => {
    if (!dryRun) {
      try {
        removeRun(run.dir);
      } catch (error) {
        report.errors.push({ runId: run.runId, message: error instanceof Error ? error.message : String(error) });
        return false;
      }
    }
    report.removed.push({ runId: run.runId, reason, bytes: run.bytes, ageDays: (now - run.lastWrite) / DAY_MS, delivered: run.delivered });
    return true;
  };

  const maxAgeMs = options.settings.maxAgeDays * DAY_MS;
  const kept: RunFacts[] = [];
  for (const run of runs) {
    if (!untouchable(run) && now - run.lastWrite > maxAgeMs && remove(run, 'age')) continue;
    kept.push(run);
  }

  const maxBytes = options.settings.maxMb * BYTES_PER_MB;
  let total = sum(kept);
  const survivors: RunFacts[] = [];
  for (const run of kept) {
    if (total > maxBytes && run.delivered && run.finished && !untouchable(run) && remove(run, 'size')) {
      total -= run.bytes;
      continue;
    }
    survivors.push(run);
  }
  report.after = { runs: survivors.length, bytes: sum(survivors) };
  if (report.after.bytes > maxBytes) {
    const undelivered = survivors.filter((run) => !run.delivered);
    report.undeliveredKept = { runs: undelivered.length, bytes: sum(undelivered) };
  }

  if (!dryRun && existsSync(options.stateDir)) {
    try {
      writeFileAtomic(stamp, new Date(now).toISOString());
    } catch {
      // Without the stamp the wrapper prunes again next time; nothing worse.
    }
  }
  return report;
}

/** The runs the store wrote; none when sessions/ is not a real directory (a link may lead anywhere). */
function ownRuns(stateDir: string): RunListing[] {
  try {
    if (!lstatSync(sessionsDir(stateDir)).isDirectory()) return [];
  } catch {
    return [];
  }
  return listRuns(stateDir).filter(isStoreRun);
}

function isStoreRun(run: RunListing): boolean {
  try {
    if (lstatSync(join(run.dir, RUN_MARKER_FILE)).isFile()) return true;
  } catch {
    // no marker: a run from before it, or not a run
  }
  if (!RUN_ID_PATTERN.test(run.runId)) return false;
  try {
    const meta = join(run.dir, 'meta.json');
    const read = lstatSync(meta).isFile() ? readStoreFile(meta, MAX_SMALL_FILE_BYTES) : undefined;
    return read?.ok === true && parseMeta(JSON.parse(read.text)).ok;
  } catch {
    return false;
  }
}

function sizeAndAge(dir: string, dirMtime: number): { bytes: number; lastWrite: number; finished: boolean } {
  let bytes = 0;
  let lastWrite = 0;
  let finished = false;
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const stat = statSync(join(dir, entry.name));
      bytes += stat.size;
      if (entry.name === 'meta.json') finished = true;
      if (entry.name === 'meta.json' || /^chunk-\d+\.json$/.test(entry.name)) lastWrite = Math.max(lastWrite, stat.mtimeMs);
    }
  } catch {
    // a run that cannot be read is judged by its directory's time
  }
  return { bytes, lastWrite: lastWrite || dirMtime, finished };
}

function sum(runs: RunFacts[]): number {
  return runs.reduce((n, run) => n + run.bytes, 0);
}

export function megabytes(bytes: number): string {
  return `${(bytes / BYTES_PER_MB).toFixed(1)} MB`;
}
