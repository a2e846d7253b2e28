import type { Command } from 'commander';
import type { SetExitCode } from './command-context.ts';
import { STATE_DIR_HELP, configForStateDir, printJson, runAction, usageErrorsExitTwo, warnOnStderr } from './command-context.ts';
import type { StoreOptions } from './command-context.ts';
import type { WrapperConfig } from '../../config/wrapper-config.ts';
import { SIGNALS } from '../../config/otlp-config.ts';
import type { DeliveredChunk, FailedChunk, ReplayReport } from '../../export/replay.ts';
import { withoutUserinfo } from '../../privacy/url-userinfo.ts';
import type { CtlEnvironment } from '../ctl-environment.ts';
import { withoutControlChars } from '../views/terminal-text.ts';

// `claude-otel-ctl replay`: sends what the collector never accepted to the collector that is
// configured now, each chunk once.

interface ReplayCommandOptions extends StoreOptions {
  json?: boolean;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function destinations(config: WrapperConfig): string {
  const parts = SIGNALS.map((signal) => {
    const c = config.export[signal];
    if (c.exporter === 'none') return `${signal} off`;
    if (c.exporter === 'console') return `${signal} → console`;
    return `${signal} → ${withoutUserinfo(c.url)} (${c.protocol})`;
  });
  return parts.join(', ');
}

function chunkLine(result: DeliveredChunk | FailedChunk): string {
  const name = `${result.runId}/${result.chunk}`;
  // The reason may quote the collector's answer: no escape sequence of it reaches the terminal.
  if (result.status === 'failed') return `not delivered ${name}: ${withoutControlChars(result.reason)}\n`;
  const { spans, logs, metrics } = result.sent;
  const what = [spans ? plural(spans, 'span') : '', logs ? plural(logs, 'log record') : '', metrics ? plural(metrics, 'metric') : '']
    .filter(Boolean)
    .join(', ');
  return `delivered ${name}: ${what || 'already sent'}\n`;
}

function summaryOf(report: ReplayReport): string {
  const lines: string[] = [];
  for (const skipped of report.skipped) {
    const why = skipped.reason === 'locked' ? 'another replay is delivering it' : 'a running claude-otel may still be writing it';
    lines.push(`skipped ${skipped.runId} (${plural(skipped.pendingChunks, 'chunk')}): ${why}`);
  }
  const parts = [`delivered ${report.delivered.length} of ${plural(report.pending, 'pending chunk')}`];
  if (report.failed.length > 0) parts.push(`${report.failed.length} could not be delivered`);
  if (report.notTried.length > 0) parts.push(`${report.notTried.length} left for the next replay`);
  const elsewhere = report.skipped.filter((r) => r.reason === 'locked').reduce((n, r) => n + r.pendingChunks, 0);
  const writing = report.skipped.filter((r) => r.reason === 'in-progress').reduce((n, r) => n + r.pendingChunks, 0);
  if (elsewhere > 0) parts.push(`${elsewhere} being delivered by another replay`);
  if (writing > 0) parts.push(`${writing} still being written`);
  lines.push(parts.join('; '));
  return `${lines.join('\n')}\n`;
}

function exitCodeOf(report: ReplayReport): number {
  return report.failed.length > 0 || report.notTried.length > 0 ? 1 : 0;
}

export function registerReplayCommand(program: Command, setExitCode: SetExitCode, ctl: CtlEnvironment): void {
  const command = program
    .command('replay')
    .description('Send the sessions the collector has not accepted yet to the configured collector')
    .option('--json', 'print the result as JSON')
    .option('--state-dir <dir>', STATE_DIR_HELP)
    .addHelpText(
      'after',
      `
The collector, protocol and headers are the wrapper's: OTEL_EXPORTER_OTLP_* and
OTEL_{TRACES,LOGS,METRICS}_EXPORTER. A chunk is marked delivered once every signal with an
exporter was accepted, and is never sent again; two replays at once never send the same chunk.
After a collector failure (refused, timeout, HTTP 5xx, ...) the rest waits for the next replay.

Exit codes: 0 everything pending was delivered (or nothing was pending), 1 a chunk could not
be delivered (or the state dir is relative or cannot be read), 2 a wrong option.`,
    )
    .action((options: ReplayCommandOptions) =>
      runAction(setExitCode, async () => {
        const config: WrapperConfig = configForStateDir(options, ctl);
        const stateDir = config.stateDir;
        for (const warning of config.warnings) warnOnStderr(warning);
        // The exporters load only for the commands that send.
        const { pendingChunks, replayPending } = await import('../../export/replay.ts');

        if (config.sdkDisabled) {
          const pending = pendingChunks(stateDir).reduce((n, entry) => n + entry.chunks.length, 0);
          const message = pending === 0 ? 'nothing to replay' : `OTEL_SDK_DISABLED=true: telemetry is off, ${plural(pending, 'chunk')} not sent`;
          if (options.json) printJson({ ok: pending === 0, pending, disabled: true, message });
          else process.stdout.write(`${message}\n`);
          return pending === 0 ? 0 : 1;
        }

        const pending = pendingChunks(stateDir).reduce((n, entry) => n + entry.chunks.length, 0);
        if (!options.json && pending > 0) process.stdout.write(`replaying ${plural(pending, 'chunk')}: ${destinations(config)}\n`);
        const report = await replayPending({
          config,
          ...(options.json ? {} : { onChunk: (result: DeliveredChunk | FailedChunk) => process.stdout.write(chunkLine(result)) }),
        });
        if (options.json) printJson({ ok: exitCodeOf(report) === 0, stateDir, ...report });
        else process.stdout.write(report.pending === 0 ? 'nothing to replay\n' : summaryOf(report));
        return exitCodeOf(report);
      }),
    );
  usageErrorsExitTwo(command);
}
