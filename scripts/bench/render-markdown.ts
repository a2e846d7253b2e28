import type { BenchResults, Measure, Unit } from './results.ts';
import type { Summary } from './stats.ts';
import type { Target } from './targets.ts';
import { KNOWN_CAUSES } from './targets.ts';

// The results as the Markdown page the README links to: the headline table (each figure
// against its target, and the figure of the run before the fixes when there is one), then
// the details behind it.

function number(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return 'n/a';
  switch (unit) {
    case 'ms':
      return `${Math.round(value)} ms`;
    case '%':
      return `${value.toFixed(1)} %`;
    case 'MB':
      return `${Math.round(value)} MB`;
    case 'lines/s':
      return `${Math.round(value / 1000)}k lines/s`;
    case 'MB/s':
      return `${value.toFixed(1)} MB/s`;
    case 'transcripts/s':
      return `${Math.round(value)} transcripts/s`;
  }
}

function signed(value: number, unit: Unit): string {
  return unit === 'ms' && value > 0 ? `+${number(value, unit)}` : number(value, unit);
}

function target(t: Target, unit: Unit): string {
  return `${t.kind === 'max' ? '≤' : '≥'} ${number(t.limit, unit)}`;
}

function verdict(m: Measure): string {
  if (!m.verdict || !m.target) return '';
  if (m.verdict.met) return 'met';
  return Number.isFinite(m.verdict.missedBy) ? `**missed** by ${number(m.verdict.missedBy, m.unit)}` : '**missed** (no figure)';
}

function range(s: Summary, unit: Unit): string {
  return s.n === 0 ? 'n/a' : `${number(s.median, unit)} (${number(s.p25, unit)}–${number(s.p75, unit)})`;
}

function headline(results: BenchResults, before: BenchResults | undefined): string[] {
  const withBefore = before !== undefined;
  const rows = [
    `| scenario | measure | median | how | target | verdict |${withBefore ? ' before |' : ''}`,
    `|---|---|---|---|---|---|${withBefore ? '---|' : ''}`,
  ];
  for (const m of results.measures) {
    const old = before?.measures.find((b) => b.id === m.id);
    const cells = [m.scenario, m.label, signed(m.value, m.unit), m.detail, m.target ? target(m.target, m.unit) : '', verdict(m)];
    if (withBefore) cells.push(old ? signed(old.value, old.unit) : '');
    rows.push(`| ${cells.join(' | ')} |`);
  }
  return rows;
}

/** Why each missed target is missed, as the measurements below show it. */
function missedCauses(results: BenchResults): string[] {
  const missed = results.measures.filter((m) => m.verdict && !m.verdict.met);
  const lines = missed.flatMap((m) => (KNOWN_CAUSES[m.id] ? [`- **${m.label}** (${m.scenario}): ${KNOWN_CAUSES[m.id]}`] : []));
  return lines.length > 0 ? ['Why the missed targets are missed:', '', ...lines, ''] : [];
}

function sessions(results: BenchResults): string[] {
  const s = results.sessions;
  if (!s) return [];
  const out = [
    '### 3-tool sessions',
    '',
    `Bash, Write and Read in one \`claude -p\` session through the scripted API; OTLP/${results.settings.protocol} with traces, logs and metrics; flush budget ${results.settings.flushBudgetMs} ms (the default). ` +
      `Each round runs every arm once, in a balanced order (each arm follows each other arm equally often); ${results.settings.warmupRounds} warm-up round(s) not kept. ` +
      'Every arm runs claude behind the same two-line sh shim that stamps when claude starts and ends, so bare and wrapped runs pay the same for it. ' +
      'Medians, with the interquartile range in brackets.',
    '',
    '| arm | runs | wall time | launch → claude spawned | claude exit → process exit |',
    '|---|---|---|---|---|',
  ];
  for (const [arm, f] of Object.entries(s))
    out.push(`| ${arm} | ${f.n} | ${range(f.wallMs, 'ms')} | ${range(f.spawnDelayMs, 'ms')} | ${range(f.afterExitMs, 'ms')} |`);
  const d = results.disturbance;
  if (d && (d.sessionRoundsRerun > 0 || d.sessionRoundsDisturbedKept > 0)) {
    out.push(
      '',
      `${d.sessionRoundsRerun} round(s) during which other processes used more than a tenth of a core were run again` +
        (d.sessionRoundsDisturbedKept > 0 ? `; ${d.sessionRoundsDisturbedKept} disturbed round(s) had to be kept.` : '.'),
    );
  }
  return out;
}

function native(results: BenchResults): string[] {
  const s = results.native;
  if (!s) return [];
  const out = [
    "### Claude Code's own telemetry",
    '',
    'The 3-tool session with `CLAUDE_CODE_ENABLE_TELEMETRY=1` and `CLAUDE_CODE_ENHANCED_TELEMETRY_BETA=1` (traces, logs and metrics over OTLP) against the same session without: ' +
      'bare claude sends to the live collector itself; the wrapper takes it in on its loopback receiver and joins it (`CLAUDE_OTEL_NATIVE=auto`). ' +
      "Every run goes through node with the usage probe: claude's CPU is that of the process's children (claude behind the stamping shim, and its tools), the wrapper's its own.",
    '',
    '| arm | runs | wall time | launch → claude spawned | claude spawned → exit | claude exit → process exit | claude CPU | wrapper CPU |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const [arm, f] of Object.entries(s))
    out.push(
      `| ${arm} | ${f.n} | ${range(f.wallMs, 'ms')} | ${range(f.spawnDelayMs, 'ms')} | ${range(f.claudeRunMs, 'ms')} | ${range(f.afterExitMs, 'ms')} | ${range(f.claudeCpuMs, 'ms')} | ${f.wrapperCpuMs ? range(f.wrapperCpuMs, 'ms') : ''} |`,
    );
  return out;
}

function sdk(results: BenchResults): string[] {
  const s = results.sdk;
  if (!s) return [];
  const out = [
    '### Agent SDK queries',
    '',
    "A one-tool query through the real Agent SDK (`query()` with `pathToClaudeCodeExecutable`), iterated to its end: bare claude, then the wrapper with a live and a black-holed collector (OTLP/gRPC, all three signals, SDK mode's flush budget of 500 ms). " +
      '"Wall time" is what the bot waits for: from `query()` to the end of its messages, which comes when the process closes its stdout at exit. Every run must end by itself (the SDK sends SIGTERM 2 s after a query); one that did not is a failed run.',
    '',
    '| arm | runs | wall time | result → end of messages |',
    '|---|---|---|---|',
  ];
  for (const [arm, f] of Object.entries(s)) out.push(`| ${arm} | ${f.n} | ${range(f.wallMs, 'ms')} | ${range(f.afterResultMs, 'ms')} |`);
  return out;
}

function startup(results: BenchResults): string[] {
  const s = results.startup;
  if (!s) return [];
  const label: Record<string, string> = {
    direct: 'the shim, started directly',
    node: 'the smallest node program that spawns it (Node.js floor)',
    wrapper: 'the wrapper, live collector',
  };
  const out = [
    '### Start-up without a session',
    '',
    'The stamping shim around a claude that does nothing: what any Node.js wrapper pays before claude can start, next to what this one pays. ' +
      'With claude gone at once, the wrapper\'s "exit" column also holds loading the telemetry it could not load while claude ran.',
    '',
    '| started by | runs | launch → claude spawned | claude exit → process exit | wall time |',
    '|---|---|---|---|---|',
  ];
  for (const [arm, f] of Object.entries(s))
    out.push(`| ${label[arm] ?? arm} | ${f.n} | ${range(f.spawnDelayMs, 'ms')} | ${range(f.afterExitMs, 'ms')} | ${range(f.wallMs, 'ms')} |`);
  return out;
}

function long(results: BenchResults): string[] {
  const l = results.long;
  if (!l) return [];
  const st = results.settings;
  const describe: Record<string, string> = {
    real: `real CLI, ${st.longRealCalls} calls, ${st.longRealPerTurn} per model call`,
    replay: `replayed stream, ${st.replayCalls} calls`,
    'replay-short': 'replayed recording, 3 calls (reference)',
  };
  const out = [
    '### Long sessions',
    '',
    `Tool outputs of about ${Math.round(st.outputBytes / 1000)} KB, Bash and Read in turn; live collector. The wrapper's CPU time and peak RSS are read inside it as it exits, ` +
      "by a module preloaded with `node --import`: CPU from `process.resourceUsage()`, peak RSS from /proc/self/status VmHWM (getrusage's maxrss would also count the " +
      "forked copy of the bench's own process). claude's CPU (with its tools') is what the wrapper's process saw its children use. " +
      `The real CLI runs ${st.longRealPerTurn} tool calls per model call: it sends the whole conversation with every request, so one call per request would make ` +
      `${st.longRealCalls} calls of this size take far longer than the bench may. The replayed stream is built from the line shapes of a recorded session ` +
      '(test/fixtures/streams/three-tools.jsonl) and printed by a fake claude as fast as the pipe takes it: the wrapper at full stretch.',
    '',
    '| session | runs | wall time | wrapper CPU | claude CPU | wrapper CPU / claude CPU | wrapper peak RSS |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const f of l.figures) {
    out.push(
      `| ${describe[f.kind] ?? f.kind} | ${f.n} | ${range(f.wallMs, 'ms')} | ${range(f.wrapperCpuMs, 'ms')} | ${f.claudeCpuMs ? range(f.claudeCpuMs, 'ms') : '–'} | ${f.cpuPercentOfClaude ? range(f.cpuPercentOfClaude, '%') : '–'} | ${range(f.wrapperPeakRssMb, 'MB')} |`,
    );
  }
  const streams = l.streams.map((s) => `${s.kind}: ${s.lines.toLocaleString('en')} lines, ${(s.bytes / 1_048_576).toFixed(1)} MB`).join('; ');
  out.push('', `Streams: ${streams}.`);
  return out;
}

function parser(results: BenchResults): string[] {
  const p = results.parser;
  if (!p) return [];
  return [
    '### Parser',
    '',
    `In process, no spawning: the ${p.recordings} recorded stream-json sessions in test/fixtures/streams, repeated to ${p.sessions.toLocaleString('en')} sessions ` +
      `(${p.lines.toLocaleString('en')} lines, ${(p.bytes / 1_048_576).toFixed(1)} MB), each through its own LineSplitter, parseStreamLineValue, PrintOutput (text) and ` +
      `StreamSessionReader in 64 KB chunks, as print-run.ts does. One warm-up pass, then ${p.passMs.length} passes: ` +
      `${p.passMs.map((m) => `${Math.round(m)} ms`).join(', ')}; median ${Math.round(p.linesPerSecond).toLocaleString('en')} lines/s, ${p.megabytesPerSecond.toFixed(0)} MB/s, ${p.events.toLocaleString('en')} session events a pass.` +
      (p.rerun ? ` ${p.rerun} pass(es) during which other processes used more than a tenth of a core were run again.` : ''),
  ];
}

function redaction(results: BenchResults): string[] {
  const r = results.redaction;
  if (!r) return [];
  const out = [
    '### Redaction',
    '',
    "In process: the wrapper's redactor (src/privacy/redact.ts, default settings) on 64 KB texts built to make backtracking rules slow, plus a prompt with the secrets corpus " +
      '(test/fixtures/secrets/corpus.json) planted in ordinary text. One warm-up pass, then the passes below; MB/s of the median pass.',
    '',
    '| input | passes | MB/s |',
    '|---|---|---|',
    ...r.inputs.map((i) => `| ${i.name} | ${i.passMs.map((m) => `${m.toFixed(1)} ms`).join(', ')} | ${i.megabytesPerSecond.toFixed(1)} |`),
  ];
  if (r.sessions.length > 0) {
    const of = (arm: 'bare' | 'wrapper' | 'wrapper-short') => r.sessions.filter((s) => s.arm === arm).map((s) => Math.round(s.wallMs));
    out.push(
      '',
      `A real \`claude -p\` session whose Bash command is 22 KB of dotted names (\`: 'com.example.auth.token0.com.example...'\`), bare and wrapped (live collector) in alternation: ` +
        `bare ${of('bare').join(', ')} ms; wrapper ${of('wrapper').join(', ')} ms; the wrapper on the same session with a short command (what any session costs) ${of('wrapper-short').join(', ')} ms.`,
    );
  }
  return out;
}

function profile(results: BenchResults): string[] {
  const p = results.profile;
  if (!p) return [];
  const out = [
    "### Where the wrapper's time goes",
    '',
    `\`node --cpu-prof\` on the wrapper in ${p.runs} 3-tool sessions with the live collector (means per session; profiling slows it a little). ` +
      "Each sample is charged to the package, or the wrapper's own source directory, of the innermost frame that has one (in a bundle, the module comments esbuild writes tell whose code a line is); " +
      'node\'s module loader working for an import counts as "node: module loading".',
    '',
    '| phase | wall | CPU | largest shares |',
    '|---|---|---|---|',
  ];
  for (const phase of p.phases) {
    const top = phase.owners
      .slice(0, 6)
      .map((o) => `${o.owner} ${Math.round(o.ms)} ms`)
      .join(', ');
    out.push(`| ${phase.phase} | ${Math.round(phase.wallMs)} ms | ${Math.round(phase.cpuMs)} ms | ${top} |`);
  }
  return out;
}

function imports(results: BenchResults): string[] {
  const list = results.imports;
  if (!list || list.length === 0) return [];
  const out = [
    '### Import costs',
    '',
    'Each module imported alone in a fresh node (median of several); modules they share count in each, so the rows do not add up.',
    '',
    '| module | time | RSS |',
    '|---|---|---|',
  ];
  for (const c of [...list].sort((a, b) => b.ms - a.ms)) {
    out.push(`| \`${c.module}\`${c.note ? ` (${c.note})` : ''} | ${Math.round(c.ms)} ms | ${(c.rssKb / 1024).toFixed(1)} MB |`);
  }
  return out;
}

function failures(results: BenchResults): string[] {
  if (results.failures.length === 0) return [];
  return ['### Failed runs (not counted)', '', ...results.failures.map((f) => `- ${f.scenario}, round ${f.round + 1}: ${f.problem}`)];
}

export function renderMarkdown(results: BenchResults, before?: BenchResults): string {
  const m = results.machine;
  const header = [
    '# claude-otel benchmark',
    '',
    `${results.ranAt.slice(0, 10)} · ${m.cores} cores (${m.cpu}), ${m.memoryGb} GB · ${m.os} · Node ${m.node} · Claude Code ${m.claudeCode} · claude-otel ${m.claudeOtel}${m.revision ? ` (${m.revision})` : ''} · ` +
      `${results.settings.rounds} rounds · ${Math.round(results.durationS)} s · load average ${m.load.start}${m.load.end !== undefined ? ` → ${m.load.end}` : ''}`,
    '',
    'What the wrapper costs next to bare `claude`: the real CLI through the scripted Anthropic API (test/support/anthropic-stub.ts) and a real OTLP receiver ' +
      '(test/support/otlp-receiver.ts), bare and wrapped runs alternating on identical sessions. Medians of many runs; "added" figures are the median of the wrapped runs minus the median of the bare ones. ' +
      `Run it with \`npm run bench\` (\`BENCH_ROUNDS\` sets the rounds).${before ? ` "before" is the run of ${before.ranAt.slice(0, 10)}${before.machine.revision ? ` (${before.machine.revision})` : ''}.` : ''}`,
    '',
  ];
  const sections = [
    sessions(results),
    native(results),
    sdk(results),
    startup(results),
    long(results),
    parser(results),
    redaction(results),
    profile(results),
    imports(results),
    failures(results),
  ].filter((s) => s.length > 0);
  return [...header, ...headline(results, before), '', ...missedCauses(results), '## Details', '', ...sections.flatMap((s) => [...s, '']), '']
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}
