import { existsSync, writeFileSync } from 'node:fs';
import { writePrivateFile } from '../../private-files.ts';
import type { Command } from 'commander';
import type { SetExitCode } from './command-context.ts';
import { EXIT_CODES_HELP, STATE_DIR_HELP, noSessionsMessage, openStore, runAction, stdoutWritten, usageErrorsExitTwo, SOURCE_HELP } from './command-context.ts';
import type { StoreOptions } from './command-context.ts';
import { CtlFailure, EXIT_NOT_FOUND, EXIT_USAGE } from '../ctl-failure.ts';
import { fileWriteReason } from '../render/file-write-failure.ts';
import { DEFAULT_PERIOD, parseLimit, parseSince } from './option-values.ts';
import { findSession, shortId } from '../views/session-lookup.ts';
import type { SessionRecord } from '../views/session-record.ts';
import { computeStats } from '../views/session-stats.ts';
import { summarizeMoneyAndTime } from '../views/money-time-summary.ts';
import { buildWaterfall } from '../views/waterfall.ts';
import { renderHtmlReport } from '../render/html/html-report.ts';
import { formatLocalTime } from '../display-format.ts';
import type { CtlEnvironment } from '../ctl-environment.ts';

// `claude-otel-ctl report --html <file>`: one self-contained HTML file to keep or share.

interface ReportOptions extends StoreOptions {
  html?: string;
  since: string;
  limit: string;
}

const DEFAULT_LIMIT = '20';

export function registerReportCommand(program: Command, setExitCode: SetExitCode, ctl: CtlEnvironment): void {
  const command = program
    .command('report')
    .description('Write an HTML report: charts of the figures and a waterfall of each session')
    .argument('[session...]', 'sessions to include (session ids or prefixes, each its newest run; run ids; or "last"); default: the newest in the period')
    .usage('--html <file> [options] [session...]')
    .option('--html <file>', 'the HTML file to write (required; - writes the HTML to stdout)')
    .option('--since <when>', 'the period when no session is named: a duration back from now such as 7d or 24h, or a date such as 2026-01-31', DEFAULT_PERIOD)
    .option('--limit <n>', 'at most this many session waterfalls, the newest; the charts cover the whole period', DEFAULT_LIMIT)
    .option('--source <kind>', SOURCE_HELP)
    .option('--state-dir <dir>', STATE_DIR_HELP)
    .addHelpText(
      'after',
      `
--html is required: the report is an HTML page, for a browser. "--html -" writes it to stdout
(claude-otel-ctl report --html - > report.html); for the figures in a terminal, use
claude-otel-ctl stats.

The file stands alone: inline CSS and SVG, no script, and nothing is fetched when it is
opened. Charts cover the named sessions, or every session in the period: tools, tokens, cost
per model and per day, then where the money went (cost by component, what cache rebuilds cost,
cost by repository) and where the time went (the model, the tools, waiting on the person).
${EXIT_CODES_HELP}`,
    )
    .action((queries: string[], options: ReportOptions) =>
      runAction(setExitCode, async () => {
        const target = options.html?.trim();
        if (!target)
          throw new CtlFailure(
            'report needs --html <file>: the HTML file to write (- for stdout; claude-otel-ctl stats shows the figures in a terminal)',
            EXIT_USAGE,
          );
        const now = Date.now();
        const limit = parseLimit(options.limit);
        const from = parseSince(options.since, now);
        const store = openStore(options, ctl);
        const all = store.sessions();

        let covered: SessionRecord[];
        let shown: SessionRecord[];
        let scope: string;
        let period: { from: number; to: number } | undefined;
        if (queries.length > 0) {
          const picked = new Map<string, SessionRecord>();
          for (const query of queries) {
            if (all.length === 0) throw new CtlFailure(`no session matches "${query}": ${noSessionsMessage(store.stateDir, store.source)}`, EXIT_NOT_FOUND);
            const found = findSession(all, query);
            picked.set(found.runId, found);
          }
          covered = [...picked.values()];
          shown = covered;
          scope = `${covered.length} chosen session${covered.length === 1 ? '' : 's'}`;
        } else {
          covered = all.filter((s) => s.startTime >= from);
          shown = covered.slice(0, limit);
          period = { from, to: now };
          scope =
            `sessions since ${formatLocalTime(from)}` +
            (shown.length < covered.length ? ` (waterfalls of the newest ${shown.length} of ${covered.length})` : '');
        }

        const withSpans = covered.map((figures) => ({ figures, spans: store.spans(figures), runId: figures.runId }));
        const html = renderHtmlReport({
          generatedAt: now,
          scope,
          stats: computeStats(withSpans),
          moneyAndTime: summarizeMoneyAndTime(withSpans),
          ...(period ? { period } : {}),
          sessions: shown.map((record) => ({ record, shortId: shortId(record), tree: buildWaterfall(store.spans(record)) })),
          emptyMessage: all.length === 0 ? 'No sessions recorded yet.' : 'No sessions in this period.',
        });
        const summary = `${shown.length} session waterfall${shown.length === 1 ? '' : 's'}, figures over ${covered.length} session${covered.length === 1 ? '' : 's'}`;
        if (target === '-') {
          // stdout holds the page alone; what it holds is said on stderr.
          process.stdout.write(html);
          // Said only once stdout took it all; runAction reports a failed write.
          if (!(await stdoutWritten())) return 0;
          process.stderr.write(
            `claude-otel-ctl: ${all.length === 0 ? `${noSessionsMessage(store.stateDir, store.source)}; ` : ''}wrote the report to stdout: ${summary}\n`,
          );
          return 0;
        }
        try {
          // A file the user already has keeps its mode; a new one is theirs alone.
          if (existsSync(target)) writeFileSync(target, html);
          else writePrivateFile(target, html);
        } catch (error) {
          throw new CtlFailure(`cannot write ${target}: ${fileWriteReason(error)}`, EXIT_NOT_FOUND);
        }
        if (all.length === 0) process.stdout.write(`${noSessionsMessage(store.stateDir, store.source)}\n`);
        process.stdout.write(`wrote ${target}: ${summary}\n`);
        return 0;
      }),
    );
  usageErrorsExitTwo(command);
}
