import { closeSync, fstatSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { openRegularFile } from './regular-file.ts';
import { listSessionTranscripts, projectDirName, projectsDir } from './transcript-files.ts';

// Claude Code 2.1.332 and later write the process's running totals to the transcript as a
// `cost-state` line when a process ends, and a run that resumes the session starts from them:
// its `result` lines' `total_cost_usd`, `modelUsage[*].costUSD` and `duration_api_ms` then
// include every earlier run's. What the resumed session's last `cost-state` line says is what
// this run's figures start from. (Its `usage` counts this process alone.)

/**
 * The session a run resumes: named (`--resume <id>`, or the run's own id when it keeps it), or
 * with `--continue --fork-session` the directory's latest session other than the new one.
 */
export type ResumedSession = { sessionId: string } | { latestIn: string; except: string };

/** Totals claude carried over from earlier runs of the session. */
export interface CarriedTotals {
  costUsd: number;
  durationApiMs: number;
  costByModel: Record<string, number>;
}

const amount = v.optional(v.pipe(v.number(), v.finite(), v.minValue(0)), 0);

const COST_STATE = v.looseObject({
  type: v.literal('cost-state'),
  sessionId: v.string(),
  totalCostUSD: amount,
  totalAPIDuration: amount,
  modelUsage: v.optional(v.record(v.string(), v.looseObject({ costUSD: amount })), {}),
});

const MARKER = Buffer.from('"type":"cost-state"');
/** The line is written as a process ends, a few lines from the end: the tail is read first. */
const TAIL_BYTES = 1 << 20;
/** Past this, the whole transcript is not read for it: an unknown start is better than a stall. */
const MAX_BYTES = 64 << 20;

/** A session id as a file name: claude's are UUIDs, and nothing else is looked up. */
const SESSION_ID = /^[0-9A-Za-z][0-9A-Za-z_-]*$/;

/** The first CLI version that carries its totals over to a run that resumes the session. */
const CARRIES_FROM = [2, 1, 332];

function carriesOver(version: string): boolean {
  const have = version.split(/[.-]/, 3).map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < CARRIES_FROM.length; i++) {
    const a = have[i] ?? 0;
    const b = CARRIES_FROM[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/** The totals in the last `cost-state` line of `sessionId` within `bytes`, if any. */
function lastCostState(bytes: Buffer, sessionId: string): CarriedTotals | undefined {
  let end = bytes.length;
  while (end > 0) {
    const at = bytes.lastIndexOf(MARKER, end - 1);
    if (at < 0) return undefined;
    const start = bytes.lastIndexOf(0x0a, at) + 1;
    const stop = bytes.indexOf(0x0a, at);
    end = start - 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(bytes.toString('utf8', start, stop < 0 ? bytes.length : stop));
    } catch {
      continue;
    }
    const line = v.safeParse(COST_STATE, parsed);
    if (!line.success || line.output.sessionId !== sessionId) continue;
    const costByModel: Record<string, number> = {};
    for (const [model, usage] of Object.entries(line.output.modelUsage)) costByModel[model] = usage.costUSD;
    return { costUsd: line.output.totalCostUSD, durationApiMs: line.output.totalAPIDuration, costByModel };
  }
  return undefined;
}

function fromFile(path: string, sessionId: string): CarriedTotals | undefined {
  const fd = openRegularFile(path);
  if (fd === undefined) return undefined;
  try {
    const size = fstatSync(fd).size;
    for (const want of [Math.min(size, TAIL_BYTES), Math.min(size, MAX_BYTES)]) {
      const bytes = Buffer.allocUnsafe(want);
      const n = readSync(fd, bytes, 0, want, size - want);
      const found = lastCostState(bytes.subarray(0, n), sessionId);
      if (found || want === size) return found;
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** What `--continue` picks in `cwd`: the session written last (the new session left out). */
function latestSession(configDir: string, cwd: string, except: string): string | undefined {
  let latest: { sessionId: string; mtimeMs: number } | undefined;
  for (const transcript of listSessionTranscripts(projectsDir(configDir), [projectDirName(cwd)])) {
    if (transcript.sessionId !== except && (!latest || transcript.mtimeMs > latest.mtimeMs)) latest = transcript;
  }
  return latest?.sessionId;
}

/**
 * What a run of `cliVersion` resuming a session starts its totals from: the session's last
 * `cost-state` line, read before this run writes its own. Undefined when claude carries nothing
 * over (an older CLI, a session that never wrote one) or the transcript cannot be read.
 */
export function carriedTotals(configDir: string, resumed: ResumedSession, cliVersion: string): CarriedTotals | undefined {
  if (!carriesOver(cliVersion)) return undefined;
  const sessionId = 'sessionId' in resumed ? resumed.sessionId : latestSession(configDir, resumed.latestIn, resumed.except);
  if (sessionId === undefined || !SESSION_ID.test(sessionId)) return undefined;
  let projects: string[];
  try {
    projects = readdirSync(projectsDir(configDir));
  } catch {
    return undefined;
  }
  // Found by its name in any project directory: the directory's name for a long path is claude's to choose.
  for (const project of projects) {
    const found = fromFile(join(projectsDir(configDir), project, `${sessionId}.jsonl`), sessionId);
    if (found) return found;
  }
  return undefined;
}
