import type { Command } from 'commander';
import type { SetExitCode } from './command-context.ts';
import { printJson, runAction, usageErrorsExitTwo } from './command-context.ts';
import { CtlFailure, EXIT_USAGE } from '../ctl-failure.ts';
import { clampTimerMs } from '../../config/timer-limit.ts';
import { SIGNALS } from '../../config/otlp-config.ts';
import type { Signal } from '../../config/otlp-config.ts';
import type { ClaudeCheck, ConfigSummary, SignalCheck, StoreCheck } from './doctor-checks.ts';
import { DOCTOR_TEST, METRIC_DOCTOR_CHECKS, SPAN_DOCTOR } from '../../telemetry/names.ts';
import type { CtlEnvironment } from '../ctl-environment.ts';
import { withoutControlChars } from '../views/terminal-text.ts';

/** How long doctor waits for the collector, per signal, unless --timeout-ms says otherwise. */
const DEFAULT_CHECK_TIMEOUT_MS = 5000;

// `claude-otel-ctl doctor`: is the wrapper set up to work here? Prints the configuration as
// the wrapper resolves it, and sends a test span, log record and metric to the collector.

interface DoctorOptions {
  json?: boolean;
  timeoutMs?: string;
}

function parseTimeout(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_CHECK_TIMEOUT_MS;
  const n = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < 1)
    throw new CtlFailure(`--timeout-ms ${JSON.stringify(raw)}: expected a whole number of milliseconds, 1 or more`, EXIT_USAGE);
  return clampTimerMs(n);
}

function exporterVariable(signal: Signal): string {
  return `OTEL_${signal.toUpperCase()}_EXPORTER`;
}

function configText(summary: ConfigSummary, claude: ClaudeCheck, store: StoreCheck): string {
  const rows: [string, string][] = [];
  rows.push(['endpoint', summary.endpoint ?? "(not set: the protocol's default, localhost:4317 for grpc, localhost:4318 for http)"]);
  if (summary.sdkDisabled) rows.push(['telemetry', 'off (OTEL_SDK_DISABLED=true): the wrapper runs claude and sends nothing']);
  for (const signal of SIGNALS) {
    const s = summary.signals[signal];
    if (s.exporter === 'none') rows.push([signal, `off (${exporterVariable(signal)}=none)`]);
    else if (s.exporter === 'console') rows.push([signal, `console: OTLP JSON on stderr (${exporterVariable(signal)}=console)`]);
    else {
      const headers = Object.entries(s.headers)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      rows.push([
        signal,
        `otlp, ${s.protocol} → ${s.url}; headers: ${headers || 'none'}; timeout ${s.timeoutMs} ms${s.compression === 'gzip' ? '; gzip' : ''}`,
      ]);
    }
  }
  rows.push(['service name', summary.serviceName]);
  rows.push([
    'state dir',
    store.status === 'failed'
      ? `${summary.stateDir} (local store on, but NOTHING CAN BE STORED: ${store.reason})`
      : `${summary.stateDir} (local store ${summary.store ? 'on' : 'off'})`,
  ]);
  rows.push(['flush timeout', `${summary.flushTimeoutMs} ms (SDK mode ${summary.sdkFlushTimeoutMs} ms)`]);
  rows.push([
    'claude',
    !claude.found ? `NOT FOUND: ${claude.error}` : claude.version !== undefined ? `${claude.path} (${claude.version})` : `${claude.path}: ${claude.error}`,
  ]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = ['configuration (as the wrapper resolves it)', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)];
  for (const warning of summary.warnings) lines.push(`  warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}

function checkLine(check: SignalCheck): string {
  const name = `${check.signal}:`;
  switch (check.status) {
    case 'accepted':
      return `  ${name} accepted by ${check.endpoint} (${check.protocol}, ${check.durationMs} ms)`;
    case 'failed':
      // One line each: the endpoint and why, whatever the transport's message looks like.
      return `  ${name} FAILED: ${check.endpoint} (${check.protocol}): ${check.reason.replace(/\s*\n\s*/g, ' ')}`;
    case 'off':
      return `  ${name} off (${exporterVariable(check.signal)}=none)`;
    case 'console':
      return `  ${name} console exporter, nothing to check (${exporterVariable(check.signal)}=console)`;
  }
}

export function registerDoctorCommand(program: Command, setExitCode: SetExitCode, ctl: CtlEnvironment): void {
  const command = program
    .command('doctor')
    .description('Check the configuration and send a test span, log record and metric to the collector')
    .option('--timeout-ms <ms>', `how long to wait for the collector, per signal (default ${DEFAULT_CHECK_TIMEOUT_MS})`)
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
The configuration is read from the environment exactly as claude-otel reads it. Signals whose
exporter is otlp get one test item each (span "${SPAN_DOCTOR}", log event
"${DOCTOR_TEST}", counter "${METRIC_DOCTOR_CHECKS}"); a failure names the endpoint and
why: connection refused, timeout, HTTP status, TLS error, or a protocol mismatch (gRPC sent
to an OTLP/HTTP port, or the other way round).

The local store, when on, gets a small file written and removed where sessions go, so that a
full disk or a store that cannot be written shows here rather than as sessions missing later.

Exit codes: 0 every otlp signal was accepted, claude was found and the store (when on) can be
written, 1 otherwise, 2 a wrong option.`,
    )
    .action((options: DoctorOptions) =>
      runAction(setExitCode, async () => {
        const timeoutMs = parseTimeout(options.timeoutMs);
        const { config } = ctl;
        // The telemetry SDK and the exporters load only for the command that sends.
        const { checkClaude, checkSignals, checkStore, summarizeConfig } = await import('./doctor-checks.ts');
        const summary = summarizeConfig(config);
        const store = checkStore(config);
        const [claude, checks] = await Promise.all([
          checkClaude(ctl.claudeEnv),
          config.sdkDisabled ? Promise.resolve(undefined) : checkSignals(config, timeoutMs),
        ]);
        const failed = checks ? SIGNALS.map((s) => checks[s]).filter((c) => c.status === 'failed') : [];
        const claudeOk = claude.found && claude.version !== undefined;
        const storeOk = store.status !== 'failed';
        const ok = failed.length === 0 && claudeOk && storeOk;
        if (options.json) {
          printJson({ ok, timeoutMs, configuration: summary, claude, store, checks: checks ?? null });
          return ok ? 0 : 1;
        }
        const out = [configText(summary, claude, store)];
        if (checks) out.push(`\nchecks (timeout ${timeoutMs} ms per signal)\n${SIGNALS.map((s) => checkLine(checks[s])).join('\n')}\n`);
        const sent = checks ? SIGNALS.filter((s) => checks[s].status === 'accepted' || checks[s].status === 'failed') : [];
        let verdict: string;
        if (failed.length > 0) verdict = `not ok: ${failed.map((c) => c.signal).join(', ')} not accepted`;
        else if (!claudeOk) verdict = 'not ok: claude cannot be run';
        else if (!storeOk) verdict = 'not ok: sessions cannot be stored in the state dir';
        else if (sent.length === 0) verdict = 'ok: nothing is sent to a collector (no signal has the otlp exporter)';
        else verdict = `ok: ${sent.join(', ')} accepted`;
        out.push(`\n${verdict}\n`);
        // A collector's error text (and claude's output) is the outside world's: no escape sequence reaches the terminal.
        process.stdout.write(withoutControlChars(out.join('')));
        return ok ? 0 : 1;
      }),
    );
  usageErrorsExitTwo(command);
}
