import type { SessionRecord } from '../../views/session-record.ts';
import type { MoneyAndTime } from '../../views/money-and-time.ts';
import { repositoryLabel } from '../../views/git-figures.ts';
import type { SessionGit } from '../../views/git-figures.ts';
import { formatCost, formatDuration, formatPercent } from '../../display-format.ts';
import type { Style } from './terminal-style.ts';

// The lines `show` adds under a session's header: where it ran (repository, branch, commits
// made) and where its money and time went (cache hit ratio, rebuilds, compactions, cost by
// component, active against waiting time). Parts nobody recorded are left out.

const SHORT = 7;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function gitLine(git: SessionGit | undefined): string | undefined {
  if (!git) return undefined;
  const parts = [`repository ${repositoryLabel(git)}`];
  if (git.branch) parts.push(`branch ${git.branch}`);
  else if (git.revision) parts.push(`detached at ${git.revision.slice(0, SHORT)}`);
  if (git.commits !== undefined) {
    const range =
      git.revision && git.revisionEnd && git.revision !== git.revisionEnd ? ` (${git.revision.slice(0, SHORT)} → ${git.revisionEnd.slice(0, SHORT)})` : '';
    parts.push(`${plural(git.commits, 'commit')} made${range}`);
  }
  if (git.dirty) parts.push('uncommitted changes at start');
  if (git.worktree) parts.push('linked worktree');
  if (git.repositoryUrl) parts.push(git.repositoryUrl);
  return parts.join(' · ');
}

export function economicsLines(figures: MoneyAndTime, style: Style): string[] {
  const lines: string[] = [];
  const cache: string[] = [];
  if (figures.cacheHitRatio !== undefined) cache.push(`cache hit ${formatPercent(figures.cacheHitRatio)}`);
  const rebuilds = plural(figures.rebuilds, 'cache rebuild');
  cache.push(figures.rebuilds > 0 ? style.yellow(`${rebuilds} (${formatCost(figures.rebuildCostUsd)})`) : rebuilds);
  cache.push(plural(figures.compactions, 'compaction'));
  if (figures.activeMs !== undefined || figures.waitingMs !== undefined)
    cache.push(`active ${formatDuration(figures.activeMs)} · waiting on you ${formatDuration(figures.waitingMs)}`);
  lines.push(cache.join(' · '));
  const c = figures.cost;
  if (c)
    lines.push(
      `cost by component: input ${formatCost(c.input)} · output ${formatCost(c.output)} · cache read ${formatCost(c.cacheRead)} · cache write ${formatCost(c.cacheWrite)}`,
    );
  return lines;
}

export function summaryLines(s: SessionRecord, figures: MoneyAndTime, style: Style): string[] {
  const git = gitLine(s.git);
  return [...(git ? [git] : []), ...economicsLines(figures, style)];
}
