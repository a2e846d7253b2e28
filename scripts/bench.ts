import { nativeFigures, runNativeSessions } from './bench/native-sessions.ts';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './build-if-stale.ts';
import { benchSettings, selectedScenarios } from './bench/bench-settings.ts';
import type { Scenario } from './bench/bench-settings.ts';
import { openBenchEnvironment } from './bench/bench-environment.ts';
import { machineInfo, oneMinuteLoad } from './bench/machine-info.ts';
import { runThreeToolSessions } from './bench/three-tool-sessions.ts';
import { runSdkQueries } from './bench/sdk-queries.ts';
import { runLaunchFloor } from './bench/launch-floor.ts';
import { runLongSessions } from './bench/long-sessions.ts';
import { measureParser } from './bench/parser-throughput.ts';
import { measureRedactionThroughput, runRedactionSessions } from './bench/redaction-cost.ts';
import { profileWrapper } from './bench/cpu-profile.ts';
import { measureImportCosts } from './bench/import-costs.ts';
import { runVolumeSessions } from './bench/volume-sessions.ts';
import { measureServeListing } from './bench/serve-listing.ts';
import { runImportBench } from './bench/import-transcripts.ts';
import {
  longFigures,
  longMeasures,
  parserMeasure,
  redactionMeasures,
  serveMeasures,
  volumeMeasures,
  importMeasures,
  sdkFigures,
  sdkMeasures,
  sessionFigures,
  sessionMeasures,
  startupFigures,
} from './bench/results.ts';
import type { BenchResults } from './bench/results.ts';
import { renderMarkdown } from './bench/render-markdown.ts';

// `npm run bench`: what the wrapper costs next to bare claude (see bench/results/latest.md).
// Writes bench/results/latest.{md,json}; BENCH_SAVE_BASELINE=1 also keeps the run as the
// "before" that later runs are shown against.

const RESULTS_DIR = new URL('../bench/results/', import.meta.url);
const PARTIAL_DIR = new URL('../bench/tmp/', import.meta.url);
const began = performance.now();

function log(line: string): void {
  process.stderr.write(`[bench ${((performance.now() - began) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);
}

/** Results are committed: no paths of the machine that ran the bench (failures quote stderr). */
function withoutLocalPaths(text: string): string {
  const repo = fileURLToPath(new URL('../', import.meta.url)).replace(/\/$/, '');
  const swaps: [string, string][] = [
    [repo, '.'],
    [tmpdir(), '$TMPDIR'],
    [homedir(), '~'],
  ];
  // A path as short as `/` would take every slash with it.
  return swaps.filter(([path]) => path.length > 4).reduce((out, [path, name]) => out.split(path).join(name), text);
}

async function readResults(url: URL): Promise<BenchResults | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(url, 'utf8'));
    return typeof value === 'object' && value !== null && Reflect.get(value, 'schema') === 1 ? (value as BenchResults) : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const settings = benchSettings(process.env);
  const only = selectedScenarios(process.env);
  const runs = (scenario: Scenario) => !only || only.has(scenario);
  if (!(await buildIfStale(log))) throw new Error('npm run build failed; the bench needs a built dist/');
  const env = await openBenchEnvironment();
  const disturbance = { sessionRoundsRerun: 0, sessionRoundsDisturbedKept: 0, startupRoundsRerun: 0 };
  const results: BenchResults = {
    schema: 1,
    ranAt: new Date().toISOString(),
    durationS: 0,
    machine: await machineInfo(env.realClaude),
    settings,
    measures: [],
    disturbance,
    failures: [],
  };
  if (results.machine.load.start > results.machine.cores / 2)
    log(`the machine is busy (1-minute load ${results.machine.load.start} on ${results.machine.cores} cores): expect inflated figures`);
  try {
    if (runs('parser')) {
      log(`parser: ${settings.parserLines.toLocaleString('en')} recorded lines`);
      results.parser = await measureParser({ targetLines: settings.parserLines, passes: 5 });
    }
    if (runs('sessions')) {
      log(`3-tool sessions: ${settings.rounds} rounds of bare, live, refused, black-hole`);
      const rounds = await runThreeToolSessions(env, { rounds: settings.rounds, warmupRounds: settings.warmupRounds, log });
      results.sessions = sessionFigures(rounds);
      results.measures.push(...sessionMeasures(rounds, results.sessions));
      results.failures.push(...rounds.failures);
      disturbance.sessionRoundsRerun = rounds.rerun;
      disturbance.sessionRoundsDisturbedKept = rounds.disturbedKept;
    }
    if (runs('native')) {
      log(`Claude Code's own telemetry: ${settings.rounds} rounds of bare and wrapped, with it off and on`);
      const rounds = await runNativeSessions(env, { rounds: settings.rounds, warmupRounds: settings.warmupRounds, log });
      results.native = nativeFigures(rounds);
      results.failures.push(...rounds.failures);
    }
    if (runs('sdk')) {
      log(`Agent SDK queries: ${settings.rounds} rounds of bare, live, black-hole`);
      const rounds = await runSdkQueries(env, { rounds: settings.rounds, warmupRounds: settings.warmupRounds, log });
      results.sdk = sdkFigures(rounds);
      results.measures.push(...sdkMeasures(results.sdk));
      results.failures.push(...rounds.failures);
    }
    if (runs('long')) {
      log(
        `long sessions: replay ${settings.replayCalls} calls ×${settings.replayRounds}, real CLI ${settings.longRealCalls} calls ×${settings.longRealRounds}`,
      );
      const long = await runLongSessions(env, {
        realCalls: settings.longRealCalls,
        realPerTurn: settings.longRealPerTurn,
        realRounds: settings.longRealRounds,
        replayCalls: settings.replayCalls,
        replayRounds: settings.replayRounds,
        outputBytes: settings.outputBytes,
        log,
      });
      const figures = longFigures(long.samples);
      results.long = { figures, streams: long.streams };
      results.measures.push(...longMeasures(figures));
      results.failures.push(...long.failures);
    }
    if (results.parser) results.measures.push(parserMeasure(results.parser));
    if (runs('redaction')) {
      log('redaction: adversarial 64 KB texts in process');
      const inputs = measureRedactionThroughput({ passes: 15 });
      log(`redaction: a session with a 22 KB command, ${settings.rounds} rounds of bare and wrapper`);
      const sessions = await runRedactionSessions(env, { rounds: settings.rounds, log });
      results.redaction = {
        inputs,
        slowestMegabytesPerSecond: Math.min(...inputs.map((i) => i.megabytesPerSecond)),
        sessions: sessions.samples,
        failures: sessions.failures,
      };
      results.failures.push(...sessions.failures);
      results.measures.push(...redactionMeasures(results.redaction));
    }
    if (runs('startup')) {
      log(`start-up without a session: ${settings.rounds} rounds`);
      const startup = await runLaunchFloor(env, { rounds: settings.rounds });
      results.startup = startupFigures(startup.samples);
      results.failures.push(...startup.failures);
      disturbance.startupRoundsRerun = startup.rerun;
    }
    if (runs('volume')) {
      log('volume: a session of 100,000 tool calls, and 256 MB of output read slowly');
      const volume = await runVolumeSessions(env, log);
      results.volume = volume.samples;
      results.measures.push(...volumeMeasures(volume.samples));
      results.failures.push(...volume.failures);
    }
    if (runs('import')) {
      log('import: claude-otel-ctl import of 1,000 transcripts (200 MB)');
      const imported = await runImportBench(env, log);
      if (imported.sample) {
        results.import = imported.sample;
        results.measures.push(...importMeasures(imported.sample));
      }
      results.failures.push(...imported.failures);
    }
    if (runs('profile')) {
      log('profile: node --cpu-prof on the wrapper, 3 sessions');
      const profile = await profileWrapper(env, { runs: 3 });
      if (profile) results.profile = profile;
    }
  } finally {
    await env.close();
  }
  if (runs('serve')) {
    log('serve: 3,000 stored sessions listed through the API and by sessions --json');
    results.serve = await measureServeListing({ sessions: 3000, rounds: 5 });
    results.measures.push(...serveMeasures(results.serve));
  }
  if (runs('imports')) {
    log('import costs: each module alone in a fresh node');
    results.imports = await measureImportCosts({ repeats: 3 });
  }
  results.durationS = (performance.now() - began) / 1000;
  results.machine.load.end = oneMinuteLoad();

  const dir = only ? PARTIAL_DIR : RESULTS_DIR;
  await mkdir(dir, { recursive: true });
  const baseline = await readResults(new URL('baseline.json', RESULTS_DIR));
  const before = baseline && baseline.ranAt !== results.ranAt && process.env.BENCH_SAVE_BASELINE !== '1' ? baseline : undefined;
  const markdown = withoutLocalPaths(renderMarkdown(results, before));
  const json = withoutLocalPaths(`${JSON.stringify(results, null, 2)}\n`);
  await writeFile(new URL('latest.md', dir), markdown);
  await writeFile(new URL('latest.json', dir), json);
  if (process.env.BENCH_SAVE_BASELINE === '1' && !only) {
    await writeFile(new URL('baseline.md', dir), markdown);
    await writeFile(new URL('baseline.json', dir), json);
  }
  process.stdout.write(markdown);
  log(`done; results in ${fileURLToPath(dir)}`);
  const missed = results.measures.filter((m) => m.verdict && !m.verdict.met).length;
  if (missed > 0) log(`${missed} target(s) missed`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
