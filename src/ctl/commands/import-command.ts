import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { SetExitCode } from './command-context.ts';
import type { CtlEnvironment } from '../ctl-environment.ts';
import { withoutControlChars } from '../views/terminal-text.ts';
import { STATE_DIR_HELP, configForStateDir, printJson, runAction, usageErrorsExitTwo, warnOnStderr, whenStdoutFails } from './command-context.ts';
import type { StoreOptions } from './command-context.ts';
import { MAX_POLL_MS, MIN_POLL_MS, parsePollEvery, parseSince } from './option-values.ts';
import { CtlFailure, EXIT_USAGE } from '../ctl-failure.ts';
import type { WrapperConfig } from '../../config/wrapper-config.ts';
import { redactorFor } from '../../privacy/redact.ts';
import { createDebugLog } from '../../debug-log.ts';
import { stateDirProblem } from '../../private-files.ts';
import { projectDirName } from '../../sources/transcript/transcript-files.ts';
import type { ImportReport } from '../../modes/transcript-import.ts';
import { listRuns } from '../../store/local-store.ts';
import type { ReplayReport } from '../../export/replay.ts';

// `claude-otel-ctl import`: sessions that did not run through the wrapper (an IDE, the desktop
// app, bare claude), read from claude's own transcripts into the local store.

interface ImportCommandOptions extends StoreOptions {
  since?: string;
  project?: string[];
  dryRun?: boolean;
  export?: boolean;
  follow?: boolean;
  quietAfter?: string;
  pollEvery?: string;
  json?: boolean;
}

/** A transcript untouched this long, with no end line, is a session that is over (or left open). */
const DEFAULT_QUIET_AFTER_MS = 5 * 60_000;
const DEFAULT_POLL_MS = 2_000;

function msOption(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw.trim());
  if (!raw.trim() || !Number.isFinite(n) || n < 0)
    throw new CtlFailure(`${flag} ${JSON.stringify(raw)}: expected a number of milliseconds, 0 or more`, EXIT_USAGE);
  return n;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function summaryOf(report: ImportReport, dryRun: boolean): string {
  const parts = [`${dryRun ? 'would import' : 'imported'} ${plural(report.imported, 'session run')} from ${plural(report.transcripts, 'transcript')}`];
  if (report.alreadyImported > 0) parts.push(`${report.alreadyImported} imported before`);
  if (report.recordedByWrapper > 0) parts.push(`${report.recordedByWrapper} recorded by the wrapper`);
  if (report.stillRunning > 0) parts.push(`${report.stillRunning} still running, left for later`);
  if (report.skippedLines > 0) parts.push(`${plural(report.skippedLines, 'damaged or unknown line')} skipped`);
  return parts.join('; ');
}

function exportSummary(report: ReplayReport): string {
  const parts = [`exported ${report.delivered.length} of ${plural(report.pending, 'chunk')}`];
  // The reason may quote the collector's answer: no escape sequence of it reaches the terminal.
  if (report.failed.length > 0) parts.push(`${report.failed.length} not delivered (${withoutControlChars(report.failed[0]?.reason ?? '')})`);
  if (report.notTried.length > 0) parts.push(`${report.notTried.length} left for the next replay`);
  return parts.join('; ');
}

/** Progress on a terminal: one line, rewritten. */
function progressLine(done: number, total: number): void {
  process.stderr.write(`\rimporting: ${done}/${total} transcripts`);
}

export function registerImportCommand(program: Command, setExitCode: SetExitCode, ctl: CtlEnvironment): void {
  const command = program
    .command('import')
    .description("Store sessions that did not run through the wrapper, read from Claude Code's own transcripts")
    .option('--since <when>', 'only runs that started since then: a duration (30m, 12h, 7d) or a date (2026-01-31)')
    .option('--project <dir>', 'only the sessions run in this directory (repeatable)', (value: string, all: string[] = []) => [...all, value])
    .option('--dry-run', 'read and count, store nothing')
    .option('--export', 'send the imported sessions to the configured collector, as replay does (each once)')
    .option('--follow', 'keep importing as transcripts grow, until interrupted')
    .option('--quiet-after <ms>', `a transcript with no end line is imported once untouched this long (default ${DEFAULT_QUIET_AFTER_MS})`)
    .option('--poll-every <ms>', `with --follow: how often transcripts are looked at, ${MIN_POLL_MS} to ${MAX_POLL_MS} (default ${DEFAULT_POLL_MS})`)
    .option('--json', 'print the result as JSON')
    .option('--state-dir <dir>', STATE_DIR_HELP)
    .addHelpText(
      'after',
      `
Transcripts are read from $CLAUDE_CONFIG_DIR/projects (default ~/.claude/projects), main and
subagent ones. Each run of a session becomes one stored session marked claude.source=transcript
(a session resumed three times gives three, linked as a resume chain). A run the wrapper
recorded, or one imported before, is never imported again. Redaction, limits, sampling and
CLAUDE_OTEL_LOG_CONTENT apply as for live sessions. What a transcript does not tell stays
absent: the exit status of claude, the output sizes of tools that do not report them.

A damaged or unknown line is skipped and counted. Without --export nothing is sent; a later
import --export, or replay, sends what was imported.

Exit codes: 0 done, 1 the store cannot be used or an export failed, 2 a wrong option.`,
    )
    .action((options: ImportCommandOptions) =>
      runAction(setExitCode, async () => {
        const now = Date.now();
        const config: WrapperConfig = { ...configForStateDir(options, ctl), storeEnabled: true };
        for (const warning of config.warnings) warnOnStderr(warning);
        const quietAfterMs = msOption('--quiet-after', options.quietAfter, DEFAULT_QUIET_AFTER_MS);
        const pollMs = options.pollEvery === undefined ? DEFAULT_POLL_MS : parsePollEvery(options.pollEvery);
        const since = options.since !== undefined ? parseSince(options.since, now) : undefined;
        if (config.sdkDisabled) throw new CtlFailure('OTEL_SDK_DISABLED=true: telemetry is off, nothing imported', 1);
        const problem = options.dryRun ? undefined : stateDirProblem(config.stateDir);
        if (problem) throw new CtlFailure(`the state dir cannot be used: ${problem}`, 1);
        const redact = redactorFor(config.privacy, config.secretValues);
        const debugLog = createDebugLog({ enabled: config.debug, stateDir: options.dryRun ? undefined : config.stateDir, redact, stderr: true });
        const projects = options.project?.map((dir) => projectDirName(resolve(dir)));
        const tty = process.stderr.isTTY === true && !options.json;

        // The recording and the exporters load only for this command.
        const [{ importTranscripts, indexStore }, { replayPending }] = await Promise.all([
          import('../../modes/transcript-import.ts'),
          import('../../export/replay.ts'),
        ]);
        const once = async (): Promise<{ report: ImportReport; exported?: ReplayReport }> => {
          const report = await importTranscripts({
            config,
            redact,
            debugLog,
            configDir: config.claudeConfigDir,
            ...(since !== undefined ? { since } : {}),
            ...(projects ? { projects } : {}),
            dryRun: options.dryRun === true,
            quietAfterMs,
            now: Date.now,
            ...(tty ? { onProgress: progressLine } : {}),
          });
          if (tty && report.transcripts > 0) process.stderr.write('\n');
          if (!options.export || options.dryRun) return { report };
          // Imported sessions only, those imported before included: the wrapper's own are replay's.
          const imported = indexStore(config.stateDir).transcriptRunIds;
          const others = listRuns(config.stateDir)
            .map((run) => run.runId)
            .filter((runId) => !imported.has(runId));
          return { report, exported: await replayPending({ config, debugLog, excludeRunIds: others }) };
        };
        const print = (result: { report: ImportReport; exported?: ReplayReport }): number => {
          const failed = result.exported !== undefined && (result.exported.failed.length > 0 || result.exported.notTried.length > 0);
          if (options.json)
            printJson({ ok: !failed, dryRun: options.dryRun === true, ...result.report, ...(result.exported ? { exported: result.exported } : {}) });
          else {
            process.stdout.write(`${summaryOf(result.report, options.dryRun === true)}\n`);
            if (result.exported) process.stdout.write(`${exportSummary(result.exported)}\n`);
          }
          return failed ? 1 : 0;
        };

        if (!options.follow) return print(await once());
        // --follow: each pass imports what has become complete; runs imported before are passed over.
        let stopped = false;
        let wake: () => void = () => {};
        const stop = () => {
          stopped = true;
          wake();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        // A reader that went away (`| head`) ends the follow as an interrupt does; runAction says if it was a failure.
        whenStdoutFails(stop);
        let status = 0;
        while (!stopped) {
          const result = await once();
          if (result.report.imported > 0 || result.exported) status = Math.max(status, print(result));
          // Stopped during the pass: no wait for the next.
          if (stopped) break;
          await new Promise<void>((resolveWait) => {
            wake = resolveWait;
            setTimeout(resolveWait, pollMs);
          });
        }
        return status;
      }),
    );
  usageErrorsExitTwo(command);
}
