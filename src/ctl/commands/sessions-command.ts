import type { Command } from 'commander';
import type { SetExitCode } from './command-context.ts';
import { EXIT_CODES_HELP, STATE_DIR_HELP, noSessionsMessage, openStore, printJson, runAction, sessionsSince, usageErrorsExitTwo } from './command-context.ts';
import type { StoreOptions } from './command-context.ts';
import { parseLimit } from './option-values.ts';
import { durationMs, hasErrors, sessionJson, sessionStatus, sessionTokens } from '../views/session-record.ts';
import type { SessionRecord } from '../views/session-record.ts';
import { shortId } from '../views/session-lookup.ts';
import { renderTable } from '../render/text/text-table.ts';
import { formatCost, formatCount, formatDuration, formatLocalTime } from '../display-format.ts';
import { makeStyle, wantsColour } from '../render/text/terminal-style.ts';
import { totalTokens } from '../views/stored-spans.ts';
import { matchesBranch, matchesRepo, repoAtBranch } from '../views/git-figures.ts';

// `claude-otel-ctl sessions`: the recorded sessions, newest first.

interface SessionsOptions extends StoreOptions {
  since?: string;
  limit?: string;
  errors?: boolean;
  repo?: string;
  branch?: string;
  json?: boolean;
}

function tableOf(sessions: SessionRecord[], colour: boolean): string {
  const style = makeStyle(colour);
  return renderTable(
    [
      { header: 'started' },
      { header: 'id' },
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
      { header: 'session id' },
    ],
    sessions.map((s) => {
      const status = sessionStatus(s);
      return [
        formatLocalTime(s.startTime),
        style.bold(shortId(s)),
        s.resumedFrom !== undefined ? `${s.mode}, resumed` : s.mode,
        s.model,
        repoAtBranch(s.git),
        formatDuration(durationMs(s)),
        String(s.prompts),
        String(s.toolCalls),
        s.toolErrors > 0 ? style.red(String(s.toolErrors)) : '0',
        formatCount(totalTokens(sessionTokens(s))),
        formatCost(s.costUsd),
        s.exitCode === undefined ? '-' : s.exitCode === 0 ? '0' : style.red(String(s.exitCode)),
        status === 'ok' ? status : style.red(status),
        s.chunks === 0 ? '-' : s.delivered ? 'yes' : style.yellow('no'),
        style.dim(s.sessionId || `(run ${s.runId})`),
      ];
    }),
  );
}

export function registerSessionsCommand(program: Command, setExitCode: SetExitCode): void {
  const command = program
    .command('sessions')
    .description('List the recorded sessions, newest first')
    .option('--since <when>', 'only sessions started since then: a duration back from now (7d, 24h, 30m) or a date (2026-01-31, 2026-01-31T08:00)')
    .option('--limit <n>', 'at most this many sessions (the newest)')
    .option('--errors', 'only sessions with an error result, a non-zero exit code or a failed tool call')
    .option('--repo <name>', "only sessions in this git repository: its name, its URL, or the URL's end (org/repo)")
    .option('--branch <name>', 'only sessions on this git branch (its exact name)')
    .option('--json', 'print a JSON array for scripts (tokens.input is uncached input; tokens.total counts all four kinds)')
    .option('--state-dir <dir>', STATE_DIR_HELP)
    .addHelpText(
      'after',
      `
Columns: mode says "resumed" for a run that resumed, continued or forked an earlier session
(claude-otel-ctl show gives the chain); repo@branch is the git repository and branch claude ran in (a detached HEAD shows its
commit, "-" outside a repository); tokens counts input (cached or not) and output; delivered
is "yes" once the collector accepted every chunk of the run, "no" while some wait in the store.
${EXIT_CODES_HELP}`,
    )
    .action((options: SessionsOptions) =>
      runAction(setExitCode, () => {
        const limit = options.limit === undefined ? undefined : parseLimit(options.limit);
        const store = openStore(options);
        const all = store.sessions();
        let chosen = sessionsSince(all, options.since, Date.now());
        if (options.errors) chosen = chosen.filter(hasErrors);
        const { repo, branch } = options;
        if (repo !== undefined) chosen = chosen.filter((x) => matchesRepo(x.git, repo));
        if (branch !== undefined) chosen = chosen.filter((x) => matchesBranch(x.git, branch));
        if (limit !== undefined) chosen = chosen.slice(0, limit);
        if (options.json) {
          printJson(chosen.map((s) => sessionJson(s, shortId(s))));
          if (all.length === 0) process.stderr.write(`claude-otel-ctl: ${noSessionsMessage(store.stateDir)}\n`);
          return 0;
        }
        if (all.length === 0) process.stdout.write(`${noSessionsMessage(store.stateDir)}\n`);
        else if (chosen.length === 0) process.stdout.write(`no sessions match (${all.length} recorded in ${store.stateDir})\n`);
        else process.stdout.write(tableOf(chosen, wantsColour(process.stdout, process.env)));
        return 0;
      }),
    );
  usageErrorsExitTwo(command);
}
