import { Option } from 'commander';
import type { Command } from 'commander';
import type { SetExitCode } from './command-context.ts';
import { EXIT_CODES_HELP, STATE_DIR_HELP, noSessionsMessage, openStore, printJson, runAction, usageErrorsExitTwo, SOURCE_HELP } from './command-context.ts';
import type { StoreOptions } from './command-context.ts';
import { DEFAULT_PERIOD, parseSince } from './option-values.ts';
import { computeStats } from '../views/session-stats.ts';
import type { SessionStats } from '../views/session-stats.ts';
import { renderTable } from '../render/text/text-table.ts';
import { formatCost, formatCount, formatDuration, formatLocalTime, formatPercent } from '../display-format.ts';
import { makeStyle } from '../render/text/terminal-style.ts';
import { GROUP_KEYS, groupStats } from '../views/grouped-stats.ts';
import type { GroupBy } from '../views/grouped-stats.ts';
import { groupedStatsTable } from '../render/text/grouped-stats-table.ts';
import type { CtlEnvironment } from '../ctl-environment.ts';

// `claude-otel-ctl stats`: tools, tokens, cost and sessions over a period.

interface StatsOptions extends StoreOptions {
  since: string;
  by?: GroupBy;
  json?: boolean;
}

function headline(stats: SessionStats, from: number, colour: boolean): string {
  const style = makeStyle(colour);
  const s = stats.sessions;
  return (
    `${style.bold(`since ${formatLocalTime(from)}`)}: ${s.count} session${s.count === 1 ? '' : 's'} (${s.withErrors} with errors), ` +
    `duration p50 ${formatDuration(s.durationMs.p50)} p95 ${formatDuration(s.durationMs.p95)}, cost ${formatCost(s.costUsd)}\n`
  );
}

function textOf(stats: SessionStats, from: number, colour: boolean): string {
  const style = makeStyle(colour);
  const parts: string[] = [headline(stats, from, colour)];
  if (stats.tools.length > 0) {
    parts.push(
      style.bold('tools') +
        '\n' +
        renderTable(
          [
            { header: 'tool' },
            { header: 'calls', align: 'right' },
            { header: 'errors', align: 'right' },
            { header: 'error rate', align: 'right' },
            { header: 'p50', align: 'right' },
            { header: 'p95', align: 'right' },
          ],
          stats.tools.map((t) => [
            t.tool,
            formatCount(t.calls),
            t.errors > 0 ? style.red(formatCount(t.errors)) : '0',
            formatPercent(t.errorRate),
            formatDuration(t.durationMs.p50),
            formatDuration(t.durationMs.p95),
          ]),
        ),
    );
  }
  if (stats.tokens.length > 0) {
    parts.push(
      style.bold('tokens') +
        style.dim(' (input is uncached input)') +
        '\n' +
        renderTable(
          [
            { header: 'model' },
            { header: 'calls', align: 'right' },
            { header: 'input', align: 'right' },
            { header: 'output', align: 'right' },
            { header: 'cache read', align: 'right' },
            { header: 'cache write', align: 'right' },
            { header: 'total', align: 'right' },
          ],
          stats.tokens.map((t) => [
            t.model,
            formatCount(t.calls),
            formatCount(t.input),
            formatCount(t.output),
            formatCount(t.cacheRead),
            formatCount(t.cacheCreation),
            formatCount(t.total),
          ]),
        ),
    );
  }
  if (stats.costPerDay.length > 0) {
    parts.push(
      style.bold('cost per day') +
        '\n' +
        renderTable(
          [{ header: 'day' }, { header: 'sessions', align: 'right' }, { header: 'cost', align: 'right' }],
          stats.costPerDay.map((d) => [d.day, formatCount(d.sessions), formatCost(d.costUsd)]),
        ),
    );
  }
  if (stats.costPerModel.length > 0) {
    parts.push(
      style.bold('cost per model') +
        '\n' +
        renderTable(
          [{ header: 'model' }, { header: 'cost', align: 'right' }],
          stats.costPerModel.map((m) => [m.model, formatCost(m.costUsd)]),
        ),
    );
  }
  return parts.join('\n');
}

export function registerStatsCommand(program: Command, setExitCode: SetExitCode, ctl: CtlEnvironment): void {
  const command = program
    .command('stats')
    .description('Tool calls, error rates, durations, tokens and cost over a period')
    .option('--since <when>', 'the period: a duration back from now such as 7d, 24h or 30m, or a date such as 2026-01-31', DEFAULT_PERIOD)
    .addOption(
      new Option(
        '--by <key>',
        'instead, one row per repository, repo@branch, model or local day: cost by component, tokens, cache hit ratio, rebuilds, commits',
      ).choices(GROUP_KEYS),
    )
    .option('--json', 'print the figures as JSON')
    .option('--source <kind>', SOURCE_HELP)
    .option('--state-dir <dir>', STATE_DIR_HELP)
    .addHelpText(
      'after',
      `
Per tool: calls, failed calls, error rate and p50/p95 duration. Per model: tokens by type
(input is uncached input) and cost. Per day (local time): sessions and cost. Percentiles are
nearest-rank: always a value that was observed.

With --by, one row per group: repo and branch group sessions by the git repository (and
branch) they ran in, day by the local day they started, model groups model calls (one session
may use several models). Cost by component and rebuilds come from the stored spans.
${EXIT_CODES_HELP}`,
    )
    .action((options: StatsOptions) =>
      runAction(setExitCode, () => {
        const now = Date.now();
        const from = parseSince(options.since, now);
        const store = openStore(options, ctl);
        const all = store.sessions();
        const chosen = all.filter((s) => s.startTime >= from);
        const withSpans = chosen.map((figures) => ({ figures, spans: store.spans(figures) }));
        const stats = computeStats(withSpans);
        const by = options.by;
        if (by !== undefined) {
          const groups = groupStats(withSpans, by);
          if (options.json) {
            printJson({ since: new Date(from).toISOString(), until: new Date(now).toISOString(), by, sessions: stats.sessions, groups });
            if (all.length === 0) process.stderr.write(`claude-otel-ctl: ${noSessionsMessage(store.stateDir, store.source)}\n`);
          } else if (all.length === 0) process.stdout.write(`${noSessionsMessage(store.stateDir, store.source)}\n`);
          else {
            const colour = ctl.colour;
            process.stdout.write(headline(stats, from, colour) + (groups.length > 0 ? `\n${groupedStatsTable(by, groups, makeStyle(colour))}` : ''));
          }
          return 0;
        }
        if (options.json) {
          printJson({ since: new Date(from).toISOString(), until: new Date(now).toISOString(), ...stats });
          if (all.length === 0) process.stderr.write(`claude-otel-ctl: ${noSessionsMessage(store.stateDir, store.source)}\n`);
          return 0;
        }
        if (all.length === 0) process.stdout.write(`${noSessionsMessage(store.stateDir, store.source)}\n`);
        else process.stdout.write(textOf(stats, from, ctl.colour));
        return 0;
      }),
    );
  usageErrorsExitTwo(command);
}
