import type { Command } from 'commander';
import type { SetExitCode } from './command-context.ts';
import {
  EXIT_CODES_HELP,
  STATE_DIR_HELP,
  noSessionsMessage,
  openStore,
  printJson,
  runAction,
  sessionsSince,
  usageErrorsExitTwo,
  SOURCE_HELP,
} from './command-context.ts';
import type { StoreOptions } from './command-context.ts';
import { parseLimit } from './option-values.ts';
import { durationMs, hasErrors, neverSent, sessionJson, sessionStatus, sessionTokens } from '../views/session-record.ts';
import type { SessionRecord } from '../views/session-record.ts';
import { shortId } from '../views/session-lookup.ts';
import { renderTable } from '../render/text/text-table.ts';
import { formatCompactCount, formatCost, formatCount, formatDuration, formatLocalTime } from '../display-format.ts';
import { makeStyle } from '../render/text/terminal-style.ts';
import type { Style } from '../render/text/terminal-style.ts';
import { displayWidth, wrapToWidth } from '../render/text/display-width.ts';
import { undeliveredFootnote } from '../render/text/delivery-note.ts';
import { totalTokens } from '../views/stored-spans.ts';
import { matchesBranch, matchesRepo, repoAtBranch } from '../views/git-figures.ts';
import type { CtlEnvironment } from '../ctl-environment.ts';

// `claude-otel-ctl sessions`: the recorded sessions, newest first.

interface SessionsOptions extends StoreOptions {
  since?: string;
  limit?: string;
  errors?: boolean;
  repo?: string;
  branch?: string;
  json?: boolean;
  wide?: boolean;
}

/** Without a terminal or $COLUMNS to say otherwise, the table fits this many columns. */
const DEFAULT_COLUMNS = 100;

function exitCell(s: SessionRecord, style: Style): string {
  return s.exitCode === undefined ? '-' : s.exitCode === 0 ? '0' : style.red(String(s.exitCode));
}

function statusCell(s: SessionRecord, style: Style): string {
  const status = sessionStatus(s);
  return status === 'ok' ? status : style.red(status);
}

/** ok sessions say how they came: resumed, imported from a transcript. */
function narrowStatus(s: SessionRecord, style: Style): string {
  if (sessionStatus(s) !== 'ok') return statusCell(s, style);
  return ['ok', s.resumedFrom !== undefined ? 'resumed' : '', s.source === 'transcript' ? 'imported' : ''].filter(Boolean).join(', ');
}

function sentCell(s: SessionRecord, style: Style): string {
  // An import nobody asked to send is no warning: the note under the table says how to send it.
  return s.chunks === 0 ? '-' : s.delivered ? 'yes' : neverSent(s) ? 'no' : style.yellow('no');
}

/** Every column, the full session id as the one id: for `--wide` and terminals wide enough. */
function wideTable(sessions: SessionRecord[], style: Style): string {
  return renderTable(
    [
      { header: 'started' },
      { header: 'session id' },
      { header: 'mode' },
      { header: 'model' },
      { header: 'repo@branch' },
      { header: 'duration', align: 'right' },
      { header: 'prompts', align: 'right' },
      { header: 'tools', align: 'right' },
      { header: 'errors', align: 'right' },
      { header: 'tokens', align: 'right' },
      { header: 'cost', align: 'right' },
      { header: 'exit', align: 'right' },
      { header: 'status' },
      { header: 'delivered' },
    ],
    sessions.map((s) => [
      formatLocalTime(s.startTime),
      style.bold(s.sessionId || `(run ${s.runId})`),
      [s.mode, s.resumedFrom !== undefined ? 'resumed' : '', s.source === 'transcript' ? 'imported' : ''].filter(Boolean).join(', '),
      s.model,
      repoAtBranch(s.git),
      formatDuration(durationMs(s)),
      String(s.prompts),
      String(s.toolCalls),
      s.toolErrors > 0 ? style.red(String(s.toolErrors)) : '0',
      formatCount(totalTokens(sessionTokens(s))),
      formatCost(s.costUsd),
      exitCell(s, style),
      statusCell(s, style),
      sentCell(s, style),
    ]),
  );
}

/** The short id and the figures that matter most, narrowed to `width` columns (model and repository give way). */
function narrowTable(sessions: SessionRecord[], style: Style, width: number): string {
  return renderTable(
    [
      { header: 'started' },
      { header: 'id' },
      { header: 'model', minWidth: 6 },
      { header: 'repo@branch', minWidth: 10 },
      { header: 'duration', align: 'right' },
      { header: 'tools', align: 'right' },
      { header: 'tokens', align: 'right' },
      { header: 'cost', align: 'right' },
      { header: 'status' },
      { header: 'sent' },
    ],
    sessions.map((s) => [
      // The year goes: the list is newest first, and --wide has it.
      formatLocalTime(s.startTime).slice(5, 16),
      style.bold(shortId(s)),
      s.model.replace(/^claude-/, ''),
      repoAtBranch(s.git),
      formatDuration(durationMs(s)),
      s.toolErrors > 0 ? `${s.toolCalls} ${style.red(`✗${s.toolErrors}`)}` : String(s.toolCalls),
      formatCompactCount(totalTokens(sessionTokens(s))),
      formatCost(s.costUsd),
      narrowStatus(s, style),
      sentCell(s, style),
    ]),
    width,
  );
}

function tableOf(sessions: SessionRecord[], options: { colour: boolean; wide: boolean; columns: number | undefined }): string {
  const style = makeStyle(options.colour);
  const wide = wideTable(sessions, style);
  const width = options.columns ?? DEFAULT_COLUMNS;
  const table =
    options.wide || (options.columns !== undefined && wide.split('\n').every((l) => displayWidth(l) <= width)) ? wide : narrowTable(sessions, style, width);
  const note = undeliveredFootnote(sessions).flatMap((line) => wrapToWidth(line, width).map((part) => style.yellow(part)));
  return note.length > 0 ? `${table}\n${note.join('\n')}\n` : table;
}

export function registerSessionsCommand(program: Command, setExitCode: SetExitCode, ctl: CtlEnvironment): void {
  const command = program
    .command('sessions')
    .description('List the recorded sessions, newest first')
    .option('--since <when>', 'only sessions started since then: a duration back from now (7d, 24h, 30m) or a date (2026-01-31, 2026-01-31T08:00)')
    .option('--limit <n>', 'at most this many sessions (the newest)')
    .option('--errors', 'only sessions with an error result, a non-zero exit code or a failed tool call')
    .option('--repo <name>', "only sessions in this git repository: its name, its URL, or the URL's end (org/repo)")
    .option('--branch <name>', 'only sessions on this git branch (its exact name)')
    .option('--wide', 'every column (mode, prompts, tool errors, exit code, the full session id), however wide the terminal')
    .option('--json', 'print a JSON array for scripts (tokens.input is uncached input; tokens.total counts all four kinds)')
    .option('--source <kind>', SOURCE_HELP)
    .option('--state-dir <dir>', STATE_DIR_HELP)
    .addHelpText(
      'after',
      `
The table fits the terminal (or $COLUMNS, else 100 columns): the short id, model, repo@branch,
duration, tool calls (✗ the failed ones), tokens, cost, status and sent; model and repo@branch
are cut to fit. A terminal wide enough, or --wide, gets every column: the full session id, the
mode ("resumed" for a run that resumed, continued or forked an earlier session; claude-otel-ctl
show gives the chain; "imported" for a session claude-otel-ctl import read from its
transcript), prompts, tool errors and the exit code ("-" when nobody saw claude exit).

repo@branch is the git repository (owner/name from its remote, else its name) and branch claude
ran in (a detached HEAD shows its commit, "-" outside a repository); tokens counts input (cached
or not) and output; sent (delivered) is "yes" once the collector accepted every chunk of the run,
"no" while some wait in the store: a note under the table then gives the last reason a send
failed, and the commands that help; or, for sessions imported without --export, that no send was
tried and claude-otel-ctl replay sends them.
${EXIT_CODES_HELP}`,
    )
    .action((options: SessionsOptions) =>
      runAction(setExitCode, () => {
        const limit = options.limit === undefined ? undefined : parseLimit(options.limit);
        const store = openStore(options, ctl);
        const all = store.sessions();
        let chosen = sessionsSince(all, options.since, Date.now());
        if (options.errors) chosen = chosen.filter(hasErrors);
        const { repo, branch } = options;
        if (repo !== undefined) chosen = chosen.filter((x) => matchesRepo(x.git, repo));
        if (branch !== undefined) chosen = chosen.filter((x) => matchesBranch(x.git, branch));
        if (limit !== undefined) chosen = chosen.slice(0, limit);
        if (options.json) {
          printJson(chosen.map((s) => sessionJson(s, shortId(s))));
          if (all.length === 0) process.stderr.write(`claude-otel-ctl: ${noSessionsMessage(store.stateDir, store.source)}\n`);
          return 0;
        }
        if (all.length === 0) process.stdout.write(`${noSessionsMessage(store.stateDir, store.source)}\n`);
        else if (chosen.length === 0) process.stdout.write(`no sessions match (${all.length} recorded in ${store.stateDir})\n`);
        else
          process.stdout.write(
            tableOf(chosen, {
              colour: ctl.colour,
              wide: options.wide === true,
              columns: ctl.columns,
            }),
          );
        return 0;
      }),
    );
  usageErrorsExitTwo(command);
}
