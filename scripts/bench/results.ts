import type { NativeArm, NativeFigures } from './native-sessions.ts';
import type { MachineInfo } from './machine-info.ts';
import type { RunFailure } from './balanced-rounds.ts';
import type { SessionArm, SessionRounds } from './three-tool-sessions.ts';
import type { LaunchSample } from './launch-floor.ts';
import type { LongSample, LongStreamInfo, LongKind } from './long-sessions.ts';
import type { ParserResult } from './parser-throughput.ts';
import type { RedactionResult } from './redaction-cost.ts';
import type { ProfileResult } from './cpu-profile.ts';
import type { ImportCost } from './import-costs.ts';
import type { SdkArm, SdkRounds } from './sdk-queries.ts';
import { median, summarize } from './stats.ts';
import type { Summary } from './stats.ts';
import { TARGETS, judge } from './targets.ts';
import type { Target, Verdict } from './targets.ts';
import type { VolumeSample } from './volume-sessions.ts';
import type { ServeListing } from './serve-listing.ts';
import type { ImportSample } from './import-transcripts.ts';

// Raw samples in, the figures the bench reports out: medians per arm, the wrapper's part as
// the difference of medians, and each headline figure against its target.

export type Unit = 'ms' | '%' | 'MB' | 'lines/s' | 'MB/s' | 'transcripts/s';

export interface Measure {
  id: string;
  scenario: string;
  label: string;
  value: number;
  unit: Unit;
  /** How the figure came about, in a few words (the medians it is the difference of). */
  detail: string;
  target?: Target;
  verdict?: Verdict;
}

export interface ArmFigures {
  n: number;
  wallMs: Summary;
  spawnDelayMs: Summary;
  afterExitMs: Summary;
}

export interface LongFigures {
  kind: LongKind;
  n: number;
  toolCalls: number;
  wallMs: Summary;
  wrapperCpuMs: Summary;
  wrapperPeakRssMb: Summary;
  claudeCpuMs?: Summary;
  /** Per run, wrapper CPU over claude's CPU. */
  cpuPercentOfClaude?: Summary;
}

export interface SdkFigures {
  n: number;
  wallMs: Summary;
  afterResultMs: Summary;
}

export interface BenchSettings {
  rounds: number;
  warmupRounds: number;
  longRealCalls: number;
  longRealPerTurn: number;
  longRealRounds: number;
  replayCalls: number;
  replayRounds: number;
  outputBytes: number;
  parserLines: number;
  protocol: string;
  flushBudgetMs: number;
}

export interface BenchResults {
  schema: 1;
  ranAt: string;
  durationS: number;
  machine: MachineInfo;
  settings: BenchSettings;
  measures: Measure[];
  sessions?: Record<SessionArm, ArmFigures>;
  sdk?: Record<SdkArm, SdkFigures>;
  startup?: Record<string, { n: number; spawnDelayMs: Summary; afterExitMs: Summary; wallMs: Summary }>;
  long?: { figures: LongFigures[]; streams: LongStreamInfo[] };
  parser?: ParserResult;
  redaction?: RedactionResult;
  profile?: ProfileResult;
  imports?: ImportCost[];
  volume?: VolumeSample[];
  serve?: ServeListing;
  /** The 3-tool session with Claude Code's own telemetry off and on, bare and wrapped. */
  native?: Record<NativeArm, NativeFigures>;
  import?: ImportSample;
  /** Rounds run again because other work on the machine took a real share of the CPU. */
  disturbance?: { sessionRoundsRerun: number; sessionRoundsDisturbedKept: number; startupRoundsRerun: number };
  failures: RunFailure[];
}

function measure(m: Omit<Measure, 'verdict'>): Measure {
  return m.target ? { ...m, verdict: judge(m.value, m.target) } : m;
}

const ms = (n: number) => `${Math.round(n)} ms`;

export function sessionFigures(rounds: SessionRounds): Record<SessionArm, ArmFigures> {
  const of = (arm: SessionArm): ArmFigures => {
    const samples = rounds.samples.filter((s) => s.arm === arm);
    return {
      n: samples.length,
      wallMs: summarize(samples.map((s) => s.wallMs)),
      spawnDelayMs: summarize(samples.map((s) => s.spawnDelayMs)),
      afterExitMs: summarize(samples.map((s) => s.afterExitMs)),
    };
  };
  return { bare: of('bare'), live: of('live'), refused: of('refused'), 'black-hole': of('black-hole') };
}

export function sessionMeasures(rounds: SessionRounds, figures: Record<SessionArm, ArmFigures>): Measure[] {
  const bare = figures.bare;
  const added = (arm: 'live' | 'refused' | 'black-hole', target: Target, collector: string): Measure => {
    const wrapped = figures[arm].wallMs.median;
    return measure({
      id: `added-wall-${arm}`,
      scenario: `3-tool session, ${collector}`,
      label: 'added wall time per session',
      value: wrapped - bare.wallMs.median,
      unit: 'ms',
      detail: `bare ${ms(bare.wallMs.median)} → wrapper ${ms(wrapped)} (×${(wrapped / bare.wallMs.median).toFixed(2)})`,
      target,
    });
  };
  // Nothing before the spawn depends on the collector: all wrapper arms count.
  const wrapperSpawn = median(rounds.samples.filter((s) => s.arm !== 'bare').map((s) => s.spawnDelayMs));
  return [
    added('live', TARGETS.addedWallLive, 'live collector'),
    measure({
      id: 'spawn-delay',
      scenario: '3-tool session',
      label: 'wrapper start → claude spawned',
      value: wrapperSpawn - bare.spawnDelayMs.median,
      unit: 'ms',
      detail: `launch → shim: wrapper ${ms(wrapperSpawn)}, shim alone ${ms(bare.spawnDelayMs.median)}`,
      target: TARGETS.spawnDelay,
    }),
    measure({
      id: 'flush-live',
      scenario: '3-tool session, live collector',
      label: 'claude exit → wrapper exit (flush)',
      value: figures.live.afterExitMs.median - bare.afterExitMs.median,
      unit: 'ms',
      detail: `shim's exit stamp → process exit: wrapper ${ms(figures.live.afterExitMs.median)}, shim alone ${ms(bare.afterExitMs.median)}`,
      target: TARGETS.flushLive,
    }),
    added('refused', TARGETS.addedWallRefused, 'collector refusing connections'),
    added('black-hole', TARGETS.addedWallBlackHole, 'collector black-holed'),
  ];
}

export function sdkFigures(rounds: SdkRounds): Record<SdkArm, SdkFigures> {
  const of = (arm: SdkArm): SdkFigures => {
    const samples = rounds.samples.filter((s) => s.arm === arm);
    return { n: samples.length, wallMs: summarize(samples.map((s) => s.wallMs)), afterResultMs: summarize(samples.map((s) => s.afterResultMs)) };
  };
  return { bare: of('bare'), live: of('live'), 'black-hole': of('black-hole') };
}

export function sdkMeasures(figures: Record<SdkArm, SdkFigures>): Measure[] {
  const bare = figures.bare.wallMs.median;
  const added = (arm: 'live' | 'black-hole', target: Target, collector: string): Measure => {
    const wrapped = figures[arm].wallMs.median;
    return measure({
      id: `sdk-added-wall-${arm}`,
      scenario: `Agent SDK query, ${collector}`,
      label: 'added time per query',
      value: wrapped - bare,
      unit: 'ms',
      detail: `bare ${ms(bare)} → wrapper ${ms(wrapped)}; result → end of messages ${ms(figures.bare.afterResultMs.median)} → ${ms(figures[arm].afterResultMs.median)}`,
      target,
    });
  };
  return [added('live', TARGETS.sdkAddedWallLive, 'live collector'), added('black-hole', TARGETS.sdkAddedWallBlackHole, 'collector black-holed')];
}

export function startupFigures(samples: LaunchSample[]): Record<string, { n: number; spawnDelayMs: Summary; afterExitMs: Summary; wallMs: Summary }> {
  const out: Record<string, { n: number; spawnDelayMs: Summary; afterExitMs: Summary; wallMs: Summary }> = {};
  for (const arm of ['direct', 'node', 'wrapper'] as const) {
    const of = samples.filter((s) => s.arm === arm);
    out[arm] = {
      n: of.length,
      spawnDelayMs: summarize(of.map((s) => s.spawnDelayMs)),
      afterExitMs: summarize(of.map((s) => s.afterExitMs)),
      wallMs: summarize(of.map((s) => s.wallMs)),
    };
  }
  return out;
}

export function longFigures(samples: LongSample[]): LongFigures[] {
  const kinds: LongKind[] = ['real', 'replay', 'replay-short'];
  return kinds.flatMap((kind) => {
    const of = samples.filter((s) => s.kind === kind);
    const first = of[0];
    if (!first) return [];
    const withClaude = of.filter((s): s is LongSample & { claudeCpuMs: number } => s.claudeCpuMs !== undefined && s.claudeCpuMs > 0);
    return [
      {
        kind,
        n: of.length,
        toolCalls: first.toolCalls,
        wallMs: summarize(of.map((s) => s.wallMs)),
        wrapperCpuMs: summarize(of.map((s) => s.wrapperCpuMs)),
        wrapperPeakRssMb: summarize(of.map((s) => s.wrapperMaxRssKb / 1024)),
        ...(withClaude.length > 0
          ? {
              claudeCpuMs: summarize(withClaude.map((s) => s.claudeCpuMs)),
              cpuPercentOfClaude: summarize(withClaude.map((s) => (100 * s.wrapperCpuMs) / s.claudeCpuMs)),
            }
          : {}),
      },
    ];
  });
}

/** The volume rows (volume-sessions.ts): a session of 100,000 tool calls, and a slow reader of 256 MB of output. */
export function volumeMeasures(samples: readonly VolumeSample[]): Measure[] {
  const out: Measure[] = [];
  const many = samples.find((s) => s.kind === 'many-calls');
  if (many) {
    const scenario = 'volume: 100,000 tool calls, written as fast as the pipe takes them';
    out.push(
      measure({ id: 'volume-calls-wall', scenario, label: 'wall time', value: many.wallMs, unit: 'ms', detail: 'one run, claude a script' }),
      measure({
        id: 'volume-calls-peak-rss',
        scenario,
        label: 'wrapper peak RSS',
        value: many.wrapperMaxRssKb / 1024,
        unit: 'MB',
        detail: 'spans over CLAUDE_OTEL_MAX_SPANS are counted, not held',
        target: TARGETS.volumePeakRssMb,
      }),
    );
  }
  const slow = samples.find((s) => s.kind === 'slow-reader');
  if (slow) {
    out.push(
      measure({
        id: 'volume-slow-reader-peak-rss',
        scenario: "volume: 256 MB of stream-json, the wrapper's stdout read slowly",
        label: 'wrapper peak RSS',
        value: slow.wrapperMaxRssKb / 1024,
        unit: 'MB',
        detail: `claude's output waits for the reader (${Math.round(slow.wallMs)} ms)`,
        target: TARGETS.slowReaderPeakRssMb,
      }),
    );
  }
  return out;
}

/** The import row (import-transcripts.ts): `claude-otel-ctl import` of 1,000 transcripts. */
export function importMeasures(sample: ImportSample): Measure[] {
  const scenario = `import: ${sample.transcripts.toLocaleString('en')} transcripts, ${Math.round(sample.megabytes)} MB`;
  return [
    measure({
      id: 'import-wall',
      scenario,
      label: 'wall time',
      value: sample.wallMs,
      unit: 'ms',
      detail: 'one run of claude-otel-ctl import',
      target: TARGETS.importWallMs,
    }),
    measure({
      id: 'import-rate',
      scenario,
      label: 'transcripts per second',
      value: sample.transcripts / (sample.wallMs / 1000),
      unit: 'transcripts/s',
      detail: `${(sample.megabytes / (sample.wallMs / 1000)).toFixed(1)} MB/s`,
    }),
    measure({
      id: 'import-peak-rss',
      scenario,
      label: 'peak RSS',
      value: sample.maxRssKb / 1024,
      unit: 'MB',
      detail: 'one session at a time, read line by line',
      target: TARGETS.importPeakRssMb,
    }),
  ];
}

export function longMeasures(figures: LongFigures[]): Measure[] {
  const real = figures.find((f) => f.kind === 'real');
  const replay = figures.find((f) => f.kind === 'replay');
  const out: Measure[] = [];
  if (real) {
    const scenario = `long session, real CLI: ${real.toolCalls} tool calls`;
    out.push(
      measure({
        id: 'long-peak-rss',
        scenario,
        label: 'wrapper peak RSS',
        value: real.wrapperPeakRssMb.median,
        unit: 'MB',
        detail: `replayed ${replay?.toolCalls ?? '-'} calls at full speed: ${replay ? `${Math.round(replay.wrapperPeakRssMb.median)} MB` : '-'}`,
        target: TARGETS.longPeakRssMb,
      }),
      measure({
        id: 'long-cpu',
        scenario,
        label: "wrapper CPU, % of claude's",
        value: real.cpuPercentOfClaude?.median ?? Number.NaN,
        unit: '%',
        detail: `wrapper ${ms(real.wrapperCpuMs.median)}, claude and its tools ${ms(real.claudeCpuMs?.median ?? Number.NaN)}`,
        target: TARGETS.longCpuPercent,
      }),
    );
  } else if (replay) {
    out.push(
      measure({
        id: 'long-peak-rss',
        scenario: `long session, replayed: ${replay.toolCalls} tool calls`,
        label: 'wrapper peak RSS',
        value: replay.wrapperPeakRssMb.median,
        unit: 'MB',
        detail: `wrapper CPU ${ms(replay.wrapperCpuMs.median)}`,
        target: TARGETS.longPeakRssMb,
      }),
    );
  }
  return out;
}

export function parserMeasure(parser: ParserResult): Measure {
  return measure({
    id: 'parser',
    scenario: `parser, ${Math.round(parser.lines / 1000)}k recorded lines`,
    label: 'lines per second',
    value: parser.linesPerSecond,
    unit: 'lines/s',
    detail: `${parser.megabytesPerSecond.toFixed(0)} MB/s`,
    target: TARGETS.parserLinesPerSecond,
  });
}

export function redactionMeasures(redaction: RedactionResult): Measure[] {
  const slowest = redaction.inputs.reduce((a, b) => (b.megabytesPerSecond < a.megabytesPerSecond ? b : a));
  const bare = median(redaction.sessions.filter((s) => s.arm === 'bare').map((s) => s.wallMs));
  const wrapped = median(redaction.sessions.filter((s) => s.arm === 'wrapper').map((s) => s.wallMs));
  const short = median(redaction.sessions.filter((s) => s.arm === 'wrapper-short').map((s) => s.wallMs));
  const out: Measure[] = [
    measure({
      id: 'redaction-throughput',
      scenario: `redaction, ${redaction.inputs.length} adversarial 64 KB texts`,
      label: 'slowest input, MB/s',
      value: redaction.slowestMegabytesPerSecond,
      unit: 'MB/s',
      detail: `${slowest.name}; fastest ${Math.max(...redaction.inputs.map((i) => i.megabytesPerSecond)).toFixed(1)} MB/s`,
      target: TARGETS.redactionMegabytesPerSecond,
    }),
  ];
  if (redaction.sessions.length > 0) {
    out.push(
      measure({
        id: 'added-wall-redaction',
        scenario: 'session with a 22 KB Bash command of dotted names, live collector',
        label: 'added wall time per session',
        value: wrapped - bare,
        unit: 'ms',
        detail: `bare ${ms(bare)} → wrapper ${ms(wrapped)} (×${(wrapped / bare).toFixed(2)}); the wrapper with a short command instead: ${ms(short)}`,
        target: TARGETS.addedWallRedaction,
      }),
    );
  }
  return out;
}

/** Listing the store through `serve`'s API takes no longer than `sessions --json` does. */
export function serveMeasures(listing: ServeListing): Measure[] {
  const scenario = `serve: ${listing.sessions.toLocaleString('en')} stored sessions listed`;
  return [
    measure({
      id: 'serve-list-cli',
      scenario,
      label: 'sessions --json',
      value: listing.cliMs,
      unit: 'ms',
      detail: `the whole process, median of ${listing.rounds}`,
    }),
    measure({
      id: 'serve-list-api-read',
      scenario,
      label: 'GET /api/traces, store read afresh',
      value: listing.apiReadMs,
      unit: 'ms',
      detail: `one request after a run changed, median of ${listing.rounds}`,
      target: { kind: 'max', limit: listing.cliMs },
    }),
    measure({
      id: 'serve-list-api-cached',
      scenario,
      label: 'GET /api/traces, store unchanged',
      value: listing.apiCachedMs,
      unit: 'ms',
      detail: `one request, median of ${listing.rounds}`,
    }),
  ];
}
