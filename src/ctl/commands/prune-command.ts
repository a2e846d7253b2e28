import type { Command } from 'commander';
import type { SetExitCode } from './command-context.ts';
import { STATE_DIR_HELP, printJson, resolveStateDir, runAction, sourceOption, usageErrorsExitTwo, warnOnStderr } from './command-context.ts';
import { listRuns, readMeta } from '../../store/reader.ts';
import type { SessionSource } from '../../session/events.ts';
import type { StoreOptions } from './command-context.ts';
import { CtlFailure, EXIT_USAGE } from '../ctl-failure.ts';
import { megabytes, parseRetentionLimit, pruneStore } from '../../store/retention.ts';
import type { PruneReport, PrunedRun, RetentionSettings } from '../../store/retention.ts';
import { stateDirProblem } from '../../private-files.ts';
import type { CtlEnvironment } from '../ctl-environment.ts';

// `claude-otel-ctl prune`: applies the store's retention limits now.

interface PruneCommandOptions extends StoreOptions {
  dryRun?: boolean;
  maxAgeDays?: string;
  maxMb?: string;
  json?: boolean;
}

function limitOption(flag: string, raw: string | undefined, fallback: number, unit: string): number {
  if (raw === undefined) return fallback;
  const n = parseRetentionLimit(raw);
  if (n === undefined) throw new CtlFailure(`${flag} ${JSON.stringify(raw)}: expected a number of ${unit}, 0 or more`, EXIT_USAGE);
  return n;
}

function days(n: number): string {
  return n < 1 ? `${Math.round(n * 24)} h` : `${Math.floor(n)} day${Math.floor(n) === 1 ? '' : 's'}`;
}

function whyRemoved(run: PrunedRun, settings: RetentionSettings): string {
  if (run.reason === 'age') return `${days(run.ageDays)} old (limit ${settings.maxAgeDays} days)${run.delivered ? '' : ', never delivered'}`;
  return `delivered, store over ${settings.maxMb} MB`;
}

function textOf(report: PruneReport): string {
  const { settings } = report;
  const verb = report.dryRun ? 'would remove' : 'removed';
  const lines = report.removed.map((run) => `${verb} ${run.runId} (${megabytes(run.bytes)}): ${whyRemoved(run, settings)}`);
  for (const error of report.errors) lines.push(`could not remove ${error.runId}: ${error.message}`);
  const limits = `limits: ${settings.maxAgeDays} days, ${settings.maxMb} MB`;
  if (report.removed.length === 0) {
    lines.push(`nothing to prune: ${report.before.runs} run${report.before.runs === 1 ? '' : 's'}, ${megabytes(report.before.bytes)} (${limits})`);
  } else {
    const freed = report.removed.reduce((n, run) => n + run.bytes, 0);
    lines.push(
      `${verb} ${report.removed.length} run${report.removed.length === 1 ? '' : 's'} (${megabytes(freed)}); ${report.after.runs} left (${megabytes(report.after.bytes)}; ${limits})`,
    );
  }
  if (report.undeliveredKept.runs > 0) {
    lines.push(
      `${report.undeliveredKept.runs} undelivered run${report.undeliveredKept.runs === 1 ? '' : 's'} (${megabytes(report.undeliveredKept.bytes)}) keep the store over ${settings.maxMb} MB: ` +
        'run claude-otel-ctl replay, or lower --max-age-days',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Runs that are not of this source (a run without a readable meta.json is the wrapper's). */
function runsNotOf(stateDir: string, source: SessionSource): string[] {
  return listRuns(stateDir)
    .filter((run) => {
      const read = readMeta(run.dir);
      return ((read?.ok ? read.value.source : undefined) ?? 'wrapper') !== source;
    })
    .map((run) => run.runId);
}

export function registerPruneCommand(program: Command, setExitCode: SetExitCode, ctl: CtlEnvironment): void {
  const command = program
    .command('prune')
    .description('Remove old sessions from the local store (CLAUDE_OTEL_STORE_MAX_AGE_DAYS, CLAUDE_OTEL_STORE_MAX_MB)')
    .option('--dry-run', 'list what would be removed, remove nothing')
    .option('--max-age-days <n>', 'remove runs older than this, delivered or not (default: $CLAUDE_OTEL_STORE_MAX_AGE_DAYS, else 30)')
    .option('--max-mb <n>', 'then remove the oldest delivered runs while the store is bigger (default: $CLAUDE_OTEL_STORE_MAX_MB, else 200)')
    .option('--json', 'print the result as JSON')
    .option('--source <kind>', 'only remove sessions run through the wrapper (wrapper) or imported from transcripts (transcript)')
    .option('--state-dir <dir>', STATE_DIR_HELP)
    .addHelpText(
      'after',
      `
A run the collector has not accepted yet is only removed for its age, never for size; nor is
a run still being written or being replayed. Only directories the store wrote are removed;
anything else under sessions/, and anything behind a symbolic link, stays.

Exit codes: 0 done (also when there is nothing to prune), 1 a run could not be removed or
the state dir is not one the wrapper would use, 2 a wrong option.`,
    )
    .action((options: PruneCommandOptions) =>
      runAction(setExitCode, () => {
        const fromEnv = ctl.config.retention;
        const warnings = ctl.retentionWarnings;
        const settings: RetentionSettings = {
          maxAgeDays: limitOption('--max-age-days', options.maxAgeDays, fromEnv.maxAgeDays, 'days'),
          maxMb: limitOption('--max-mb', options.maxMb, fromEnv.maxMb, 'megabytes'),
        };
        for (const warning of warnings) warnOnStderr(warning);
        const stateDir = resolveStateDir(options, ctl);
        // The wrapper would not store there, so nothing there is the store's to remove.
        const problem = stateDirProblem(stateDir, { create: false });
        if (problem) throw new CtlFailure(`state dir not used, nothing pruned: ${problem}`, 1);
        const source = sourceOption(options.source);
        // The other source's runs are left alone, and do not count towards the size limit's order.
        const excludeRunIds = source === undefined ? [] : runsNotOf(stateDir, source);
        const report = pruneStore({ stateDir, settings, dryRun: options.dryRun === true, excludeRunIds });
        if (options.json) printJson(report);
        else process.stdout.write(textOf(report));
        return report.errors.length > 0 ? 1 : 0;
      }),
    );
  usageErrorsExitTwo(command);
}
