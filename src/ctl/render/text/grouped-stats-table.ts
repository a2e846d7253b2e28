import type { GroupBy, GroupRow } from '../../views/grouped-stats.ts';
import { renderTable } from './text-table.ts';
import type { Column } from './text-table.ts';
import { formatCost, formatCount, formatDuration, formatPercent } from '../../display-format.ts';
import type { Style } from './terminal-style.ts';

// The `stats --by` table: one row per repository, branch, model or day.

const KEY_HEADER: Record<GroupBy, string> = { repo: 'repository', branch: 'repo@branch', model: 'model', day: 'day' };

export function groupedStatsTable(by: GroupBy, rows: GroupRow[], style: Style): string {
  const bySession = by !== 'model';
  const columns: Column[] = [
    { header: KEY_HEADER[by] },
    { header: 'sessions', align: 'right' },
    { header: 'calls', align: 'right' },
    { header: 'tokens', align: 'right' },
    { header: 'cache hit', align: 'right' },
    { header: 'rebuilds', align: 'right' },
    { header: 'input $', align: 'right' },
    { header: 'output $', align: 'right' },
    { header: 'cache read $', align: 'right' },
    { header: 'cache write $', align: 'right' },
    { header: 'cost', align: 'right' },
    ...(bySession
      ? [
          { header: 'commits', align: 'right' as const },
          { header: 'time', align: 'right' as const },
        ]
      : []),
  ];
  const money = (n: number | undefined): string => (n === undefined ? '-' : formatCost(n));
  return renderTable(
    columns,
    rows.map((r) => [
      r.key,
      formatCount(r.sessions),
      formatCount(r.calls),
      formatCount(r.tokens.total),
      r.cacheHitRatio === null ? '-' : formatPercent(r.cacheHitRatio),
      r.rebuilds > 0 ? style.yellow(`${formatCount(r.rebuilds)} (${formatCost(r.rebuildCostUsd)})`) : '0',
      money(r.cost?.input),
      money(r.cost?.output),
      money(r.cost?.cacheRead),
      money(r.cost?.cacheWrite),
      formatCost(r.costUsd),
      ...(bySession ? [r.commits === null ? '-' : formatCount(r.commits), formatDuration(r.durationMs ?? undefined)] : []),
    ]),
  );
}
