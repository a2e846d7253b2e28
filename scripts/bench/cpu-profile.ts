import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { startAnthropicStub } from '../../test/support/anthropic-stub.ts';
import { ALLOW_TOOLS } from '../../test/support/scenario.ts';
import type { BenchEnvironment } from './bench-environment.ts';
import { SESSION_PROMPT, threeToolScript, wrapperEnv } from './three-tool-sessions.ts';
import { epochMs, runTimed } from './timed-process.ts';
import { readStamps } from './shell-scripts.ts';

// Where the wrapper's time goes in a 3-tool session with a live collector: `node --cpu-prof`
// on the wrapper, each sample charged to the package (or the wrapper's own directory) of the
// innermost frame that has one, and split by phase with the shim's stamps: start-up until
// claude is spawned, while claude runs, after claude exits. V8 stamps samples on the
// monotonic clock, the shim on the wall clock; the offset between them is measured here.
// In an esbuild bundle, the `// node_modules/<package>/...` and `// src/<dir>/...` comments
// esbuild writes above each module's code tell whose code a line is.

interface CallFrame {
  functionName: string;
  url: string;
  /** 0-based. */
  lineNumber?: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export type Phase = 'start-up' | 'claude running' | 'after claude exits';
export const PHASES: readonly Phase[] = ['start-up', 'claude running', 'after claude exits'];

export interface PhaseProfile {
  phase: Phase;
  wallMs: number;
  cpuMs: number;
  /** CPU time by owner, largest first. */
  owners: { owner: string; ms: number }[];
}

export interface ProfileResult {
  runs: number;
  /** Per-run means. */
  phases: PhaseProfile[];
}

function isCpuProfile(value: unknown): value is CpuProfile {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray(Reflect.get(value, 'nodes')) &&
    Array.isArray(Reflect.get(value, 'samples')) &&
    Array.isArray(Reflect.get(value, 'timeDeltas'))
  );
}

/** Per bundle file: the lines where each bundled module starts, and whose it is. */
const bundleMarks = new Map<string, { line: number; owner: string }[]>();

function packageName(path: string): string | undefined {
  const parts = path.split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : parts[0];
}

function marksOf(url: string): { line: number; owner: string }[] {
  let marks = bundleMarks.get(url);
  if (marks) return marks;
  marks = [];
  try {
    const lines = readFileSync(fileURLToPath(url), 'utf8').split('\n');
    lines.forEach((text, line) => {
      const module = /^\/\/ (node_modules\/.+|src\/.+)$/.exec(text)?.[1];
      if (!module) return;
      const owner = module.startsWith('src/')
        ? `claude-otel ${module.split('/')[1] ?? ''}`
        : packageName(module.slice(module.lastIndexOf('node_modules/') + 'node_modules/'.length));
      if (owner) marks?.push({ line, owner });
    });
  } catch {
    // Unreadable: no marks, so its frames are charged to their callers.
  }
  bundleMarks.set(url, marks);
  return marks;
}

/** Undefined above the first module: esbuild's own helpers, charged to whoever called them. */
function ownerInBundle(frame: CallFrame): string | undefined {
  const marks = marksOf(frame.url);
  const line = frame.lineNumber ?? 0;
  let owner: string | undefined;
  for (const mark of marks) {
    if (mark.line > line) break;
    owner = mark.owner;
  }
  return owner;
}

/** `@scope/name` or `name` for a dependency's code; `claude-otel <dir>` for the wrapper's own. */
function ownerOf(frame: CallFrame): string | undefined {
  const url = frame.url;
  const at = url.lastIndexOf('/node_modules/');
  if (at !== -1) return packageName(url.slice(at + '/node_modules/'.length));
  const dist = url.lastIndexOf('/dist/');
  if (dist === -1 || !url.startsWith('file:')) return undefined;
  if (url.includes('/dist/bundle/')) return ownerInBundle(frame);
  return `claude-otel ${url.slice(dist + '/dist/'.length).split('/')[0] ?? ''}`.replace(/\.js$/, '');
}

/** Charges every profile node to an owner, walking up through node's own frames. */
function ownersOf(profile: CpuProfile): Map<number, string> {
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const c of node.children ?? []) parent.set(c, node.id);
  }
  const owners = new Map<number, string>();
  for (const node of profile.nodes) {
    const name = node.callFrame.functionName;
    if (name === '(idle)' || name === '(garbage collector)' || name === '(program)') {
      owners.set(node.id, name === '(program)' ? 'V8 (compiling, native)' : name === '(idle)' ? 'idle' : 'garbage collector');
      continue;
    }
    let owner: string | undefined;
    let loading = false;
    for (let id: number | undefined = node.id; id !== undefined && !owner; id = parent.get(id)) {
      const frame = byId.get(id)?.callFrame;
      if (!frame) break;
      owner = ownerOf(frame);
      if (frame.url.startsWith('node:internal/modules')) loading = true;
    }
    owners.set(node.id, owner ?? (loading ? 'node: module loading' : 'node: other'));
  }
  return owners;
}

interface Boundaries {
  spawnUs: number;
  exitUs: number;
}

function attribute(profile: CpuProfile, bounds: Boundaries): PhaseProfile[] {
  const owners = ownersOf(profile);
  const totals = new Map<Phase, Map<string, number>>(PHASES.map((p) => [p, new Map()]));
  const extent = new Map<Phase, { from: number; to: number }>();
  let t = profile.startTime;
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    t += deltas[i] ?? 0;
    // A sample stands for the time until the next one.
    const us = deltas[i + 1] ?? deltas[i] ?? 0;
    const phase: Phase = t < bounds.spawnUs ? 'start-up' : t < bounds.exitUs ? 'claude running' : 'after claude exits';
    const range = extent.get(phase) ?? { from: t, to: t };
    extent.set(phase, { from: Math.min(range.from, t), to: Math.max(range.to, t + us) });
    const owner = owners.get(profile.samples[i] ?? -1) ?? 'node: other';
    const map = totals.get(phase);
    map?.set(owner, (map.get(owner) ?? 0) + us / 1000);
  }
  return PHASES.map((phase) => {
    const map = totals.get(phase) ?? new Map<string, number>();
    const owners = [...map.entries()]
      .filter(([owner]) => owner !== 'idle')
      .map(([owner, ms]) => ({ owner, ms }))
      .sort((a, b) => b.ms - a.ms);
    const range = extent.get(phase);
    return { phase, wallMs: range ? (range.to - range.from) / 1000 : 0, cpuMs: owners.reduce((sum, o) => sum + o.ms, 0), owners };
  });
}

function mergeRuns(runs: PhaseProfile[][]): PhaseProfile[] {
  return PHASES.map((phase) => {
    const of = runs.map((r) => r.find((p) => p.phase === phase)).filter((p): p is PhaseProfile => p !== undefined);
    const owners = new Map<string, number>();
    for (const p of of) for (const o of p.owners) owners.set(o.owner, (owners.get(o.owner) ?? 0) + o.ms / runs.length);
    return {
      phase,
      wallMs: of.reduce((s, p) => s + p.wallMs, 0) / runs.length,
      cpuMs: of.reduce((s, p) => s + p.cpuMs, 0) / runs.length,
      owners: [...owners.entries()].map(([owner, ms]) => ({ owner, ms })).sort((a, b) => b.ms - a.ms),
    };
  });
}

export async function profileWrapper(env: BenchEnvironment, options: { runs: number }): Promise<ProfileResult | undefined> {
  const profiles: PhaseProfile[][] = [];
  for (let run = 0; run < options.runs; run++) {
    const dir = env.scratchFile('profile');
    await mkdir(dir, { recursive: true });
    const stub = await startAnthropicStub(threeToolScript(env.sandbox.cwd));
    const marks = env.scratchFile('marks');
    // Wall clock minus monotonic clock, to place the shim's stamps on the profile's time line.
    const offsetMs = epochMs() - Number(process.hrtime.bigint()) / 1e6;
    try {
      const result = await runTimed(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, env.wrapperBin, '-p', SESSION_PROMPT, ...ALLOW_TOOLS], {
        cwd: env.sandbox.cwd,
        env: env.env({ ANTHROPIC_BASE_URL: stub.url, BENCH_MARKS: marks, ...wrapperEnv(env, env.live.endpoint, env.stampedClaude, 'state-profile') }),
        timeoutMs: 60_000,
      });
      const stamps = await readStamps(marks);
      const [file] = await readdir(dir);
      if (result.exitCode !== 0 || !file || stamps.spawnMs === undefined || stamps.exitMs === undefined) continue;
      const profile: unknown = JSON.parse(await readFile(join(dir, file), 'utf8'));
      if (!isCpuProfile(profile)) continue;
      profiles.push(attribute(profile, { spawnUs: (stamps.spawnMs - offsetMs) * 1000, exitUs: (stamps.exitMs - offsetMs) * 1000 }));
    } finally {
      await stub.close();
      await rm(join(env.sandbox.cwd, 'notes.txt'), { force: true });
      await rm(dir, { recursive: true, force: true });
      env.live.clear();
    }
  }
  return profiles.length > 0 ? { runs: profiles.length, phases: mergeRuns(profiles) } : undefined;
}
