import type { Command } from 'commander';
import type { SetExitCode } from './command-context.ts';
import { EXIT_CODES_HELP, STATE_DIR_HELP, noSessionsMessage, openStore, printJson, runAction, usageErrorsExitTwo, SOURCE_HELP } from './command-context.ts';
import type { StoreOptions } from './command-context.ts';
import { CtlFailure, EXIT_NOT_FOUND } from '../ctl-failure.ts';
import { MAX_WIDTH, MIN_WIDTH, parseWidth } from './option-values.ts';
import { findSession, shortId } from '../views/session-lookup.ts';
import { durationMs, neverSent, sessionJson, sessionStatus, sessionTokens } from '../views/session-record.ts';
import type { SessionRecord } from '../views/session-record.ts';
import { NO_SPANS, buildWaterfall } from '../views/waterfall.ts';
import { renderTerminalWaterfall } from '../render/text/terminal-waterfall.ts';
import { makeStyle } from '../render/text/terminal-style.ts';
import type { Style } from '../render/text/terminal-style.ts';
import { formatCost, formatCount, formatDuration, formatLocalTime } from '../display-format.ts';
import { moneyAndTime } from '../views/money-and-time.ts';
import type { MoneyAndTime } from '../views/money-and-time.ts';
import { summaryLines } from '../render/text/show-summary-lines.ts';
import { resumeChain, resumeChainLine } from '../render/text/resume-chain.ts';
import { wrapToWidth } from '../render/text/display-width.ts';
import { DELIVERY_COMMANDS, isUndelivered, lastFailureText } from '../render/text/delivery-note.ts';
import type { CtlEnvironment } from '../ctl-environment.ts';

// `claude-otel-ctl show <session>`: one session as a waterfall of its spans.

interface ShowOptions extends StoreOptions {
  json?: boolean;
  width?: string;
}

const DEFAULT_WIDTH = 120;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function headerOf(s: SessionRecord, sessions: SessionRecord[], figures: MoneyAndTime, style: Style, width: number): string {
  const status = sessionStatus(s);
  const t = sessionTokens(s);
  const lines = [
    `${style.bold(`session ${s.sessionId || '(unknown id)'}`)}  ${style.dim(`run ${s.runId}`)}`,
    [
      `started ${formatLocalTime(s.startTime)}`,
      s.source === 'transcript' ? `${s.mode}, imported from its transcript` : s.mode,
      s.model,
      `claude ${s.version}`,
      formatDuration(durationMs(s)),
      s.exitCode === undefined ? 'no exit code' : s.exitCode === 0 ? 'exit 0' : style.red(`exit ${s.exitCode}`),
      status === 'ok' ? 'ok' : style.red(status),
      s.chunks === 0 ? 'nothing stored' : s.delivered ? 'delivered' : neverSent(s) ? 'not sent' : style.yellow('not delivered'),
    ].join(' · '),
    [
      plural(s.prompts, 'prompt'),
      `${plural(s.toolCalls, 'tool call')}${s.toolErrors > 0 ? style.red(` (${s.toolErrors} failed)`) : ''}`,
      `tokens ${formatCount(t.input + t.cacheRead + t.cacheCreation)} in (${formatCount(t.cacheRead)} cache read, ${formatCount(t.cacheCreation)} cache write) / ${formatCount(t.output)} out`,
      formatCost(s.costUsd),
    ].join(' · '),
  ];
  if (isUndelivered(s)) lines.push(style.yellow(`not delivered to the collector: ${lastFailureText(s)}; ${DELIVERY_COMMANDS}`));
  else if (neverSent(s)) lines.push('not sent: imported without --export; claude-otel-ctl replay sends it');
  const chain = resumeChainLine(s, sessions);
  if (chain) lines.push(chain);
  lines.push(...summaryLines(s, figures, style));
  if (s.promptPreview) lines.push(style.dim(`prompt: ${s.promptPreview.replace(/\s+/g, ' ')}`));
  // Each line wraps between words to the width, never inside one that fits a line.
  return `${lines.flatMap((line) => wrapToWidth(line, width)).join('\n')}\n`;
}

function widthOf(option: string | undefined, columns: number | undefined): number {
  // $COLUMNS may say anything; past MAX_WIDTH a line only grows the output.
  if (option === undefined) return Math.min(columns ?? DEFAULT_WIDTH, MAX_WIDTH);
  return parseWidth(option);
}

export function registerShowCommand(program: Command, setExitCode: SetExitCode, ctl: CtlEnvironment): void {
  const command = program
    .command('show')
    .description('Show one session as a waterfall of its prompts, model calls and tool calls')
    .argument('<session>', 'a session id or a prefix of one (the 8-character short id will do; a resumed session: its newest run), a run id, or "last"')
    .option('--json', 'print the session, where its cost and time went, and its span tree as JSON')
    .option('--width <columns>', `the width to draw for, ${MIN_WIDTH} to ${MAX_WIDTH} (default: the terminal's, else $COLUMNS, else 120)`)
    .option('--source <kind>', SOURCE_HELP)
    .option('--state-dir <dir>', STATE_DIR_HELP)
    .addHelpText(
      'after',
      `
Under the header: the git repository, branch and commits made (in a git work tree), the cache
hit ratio, cache rebuilds and what they cost, compactions, active against waiting time
(interactive sessions) and the cost by component, as far as they were recorded; for a run that
resumed, continued or forked a session, the chain of earlier runs it continues; for a session
the collector has not taken yet, the last reason a send failed. The header wraps between words
to the width.

Each line is a span: its start offset from the session's start, its duration, tokens in/out
(input counts cached input too), the exit code of Bash calls and of claude, and a bar on the
session's time axis. Subagents are indented under the tool call that started them. A failed
span gets a second line with its error; a model call that rebuilt the prompt cache is marked
[cache rebuild], and a compaction is a line of its own (◆ compaction). Colours only on a
terminal, never with NO_COLOR set.
${EXIT_CODES_HELP}`,
    )
    .action((query: string, options: ShowOptions) =>
      runAction(setExitCode, () => {
        const width = widthOf(options.width, ctl.columns);
        const store = openStore(options, ctl);
        const sessions = store.sessions();
        if (sessions.length === 0) {
          // Nothing recorded yet is not a failure; asking for a particular session that is not there is.
          if (query.trim().toLowerCase() !== 'last')
            throw new CtlFailure(`no session matches "${query}": ${noSessionsMessage(store.stateDir, store.source)}`, EXIT_NOT_FOUND);
          if (options.json) {
            printJson(null);
            process.stderr.write(`claude-otel-ctl: ${noSessionsMessage(store.stateDir, store.source)}\n`);
          } else process.stdout.write(`${noSessionsMessage(store.stateDir, store.source)}\n`);
          return 0;
        }
        const session = findSession(sessions, query);
        const spans = store.spans(session);
        const tree = buildWaterfall(spans);
        const figures = moneyAndTime(spans, sessionTokens(session));
        if (options.json) {
          const chain = resumeChain(session, sessions).map((s) => ({ runId: s.runId, sessionId: s.sessionId, startTime: new Date(s.startTime).toISOString() }));
          printJson({ session: sessionJson(session, shortId(session)), resumeChain: chain, costAndTime: figures, spans: tree });
          return 0;
        }
        const style = makeStyle(ctl.colour);
        process.stdout.write(headerOf(session, sessions, figures, style, width));
        process.stdout.write('\n');
        process.stdout.write(tree.length > 0 ? renderTerminalWaterfall(tree, { width, style }) : `${NO_SPANS}\n`);
        return 0;
      }),
    );
  usageErrorsExitTwo(command);
}
