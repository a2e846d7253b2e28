import { localDay } from '../display-format.ts';
import { durationMs, sessionTokens } from './session-record.ts';
import type { SessionFigures } from './session-record.ts';
import { chatModel, modelCalls, numberAttr, spanTokens } from './stored-spans.ts';
import type { TokenUsage } from '../../session/events.ts';
import { addComponents, costComponentsOf, isRebuild, moneyAndTime, zeroComponents } from './money-and-time.ts';
import type { CostComponents } from './money-and-time.ts';
import type { SessionWithSpans } from './session-stats.ts';
import { ATTR_CLAUDE_COST_USD } from '../../telemetry/names.ts';
import { repositoryKeyer } from './git-figures.ts';
import type { SessionGit } from './git-figures.ts';

// `stats --by repo|branch|model|day`: the period's sessions in groups, each with its cost (by
// component), tokens, cache hit ratio, rebuilds and commits. Repository, branch and day group
// whole sessions; model groups model calls, since one session can use several models.

export const GROUP_KEYS = ['repo', 'branch', 'model', 'day'] as const;
export type GroupBy = (typeof GROUP_KEYS)[number];

export const NO_REPOSITORY = '(no repository)';

export interface GroupRow {
  key: string;
  sessions: number;
  /** Model calls. */
  calls: number;
  tokens: TokenUsage & { total: number };
  costUsd: number;
  /** Cost by component; null when none of the group's calls recorded them. */
  cost: CostComponents | null;
  /** Cache read / all input; null without input. */
  cacheHitRatio: number | null;
  rebuilds: number;
  rebuildCostUsd: number;
  /** Commits the sessions made; null for `model`, and when no session of the group was in a repository. */
  commits: number | null;
  /** Wall time of the group's sessions (null for `model`). */
  durationMs: number | null;
}

interface Accumulator {
  row: GroupRow;
  sessionKeys: Set<string>;
}

function sessionKey(figures: SessionFigures, by: Exclude<GroupBy, 'model'>, repoKey: (git: SessionGit) => string): string {
  if (by === 'day') return localDay(figures.startTime);
  const git = figures.git;
  if (!git) return NO_REPOSITORY;
  const repo = repoKey(git);
  if (by === 'repo') return repo;
  return git.branch ? `${repo}@${git.branch}` : `${repo} (detached)`;
}

function emptyRow(key: string, bySession: boolean): GroupRow {
  return {
    key,
    sessions: 0,
    calls: 0,
    tokens: { input: 0, output: 0, cacheRead: 0, cacheCreation: 0, total: 0 },
    costUsd: 0,
    cost: null,
    cacheHitRatio: null,
    rebuilds: 0,
    rebuildCostUsd: 0,
    commits: null,
    durationMs: bySession ? 0 : null,
  };
}

function addTokens(row: GroupRow, t: TokenUsage): void {
  row.tokens.input += t.input;
  row.tokens.output += t.output;
  row.tokens.cacheRead += t.cacheRead;
  row.tokens.cacheCreation += t.cacheCreation;
  row.tokens.total += t.input + t.output + t.cacheRead + t.cacheCreation;
}

export function groupStats(sessions: SessionWithSpans[], by: GroupBy): GroupRow[] {
  const groups = new Map<string, Accumulator>();
  const groupOf = (key: string): Accumulator => {
    let group = groups.get(key);
    if (!group) {
      group = { row: emptyRow(key, by !== 'model'), sessionKeys: new Set() };
      groups.set(key, group);
    }
    return group;
  };

  const repoKey = repositoryKeyer(sessions.map((s) => s.figures.git));
  sessions.forEach(({ figures, spans }, index) => {
    const chats = modelCalls(spans);
    if (by === 'model') {
      for (const chat of chats) {
        const group = groupOf(chatModel(chat));
        const { row } = group;
        group.sessionKeys.add(String(index));
        row.calls += 1;
        addTokens(row, spanTokens(chat));
        row.costUsd += numberAttr(chat, ATTR_CLAUDE_COST_USD) ?? 0;
        const parts = costComponentsOf(chat);
        if (parts) addComponents((row.cost ??= zeroComponents()), parts);
        if (isRebuild(chat)) {
          row.rebuilds += 1;
          row.rebuildCostUsd += parts?.cacheWrite ?? 0;
        }
      }
      return;
    }
    const { row } = groupOf(sessionKey(figures, by, repoKey));
    const money = moneyAndTime(spans);
    row.sessions += 1;
    row.calls += chats.length;
    addTokens(row, sessionTokens(figures));
    row.costUsd += figures.costUsd;
    if (money.cost) addComponents((row.cost ??= zeroComponents()), money.cost);
    row.rebuilds += money.rebuilds;
    row.rebuildCostUsd += money.rebuildCostUsd;
    if (figures.git?.commits !== undefined) row.commits = (row.commits ?? 0) + figures.git.commits;
    row.durationMs = (row.durationMs ?? 0) + (durationMs(figures) ?? 0);
  });

  const rows = [...groups.values()].map(({ row, sessionKeys }) => {
    if (by === 'model') row.sessions = sessionKeys.size;
    const input = row.tokens.input + row.tokens.cacheRead + row.tokens.cacheCreation;
    row.cacheHitRatio = input > 0 ? row.tokens.cacheRead / input : null;
    return row;
  });
  return by === 'day' ? rows.sort((a, b) => a.key.localeCompare(b.key)) : rows.sort((a, b) => b.costUsd - a.costUsd || a.key.localeCompare(b.key));
}
