import { CtlFailure, EXIT_USAGE } from '../ctl-failure.ts';

// Values of the viewing commands' options: `--since` (a duration back from now, or a date)
// and `--limit`.

/** The period `stats` and `report` cover when `--since` is not given. */
export const DEFAULT_PERIOD = '7d';

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** `7d`, `24h`, `30m`, `1h30m`, `2w`, `45s` → milliseconds; undefined if it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (!/^(\d+(\.\d+)?[smhdw])+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)) {
    const unit = UNIT_MS[match[2] ?? ''];
    if (unit === undefined) return undefined;
    total += Number(match[1]) * unit;
  }
  return total;
}

/**
 * The start of the period `--since` names, in epoch milliseconds: a duration back from
 * `now`, a date (`2026-01-31`, local midnight) or a date and time (`2026-01-31T08:00`,
 * ISO 8601). Throws a usage failure for anything else.
 */
export function parseSince(text: string, now: number): number {
  const duration = parseDuration(text);
  if (duration !== undefined) return now - duration;
  const trimmed = text.trim();
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  if (dateOnly) {
    const [year, month, day] = [Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3])];
    const local = new Date(year, month - 1, day);
    // Date rolls 2026-02-31 over to March; a date that does not exist is a typo.
    if (local.getFullYear() === year && local.getMonth() === month - 1 && local.getDate() === day) return local.getTime();
  } else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(trimmed)) {
    const parsed = Date.parse(trimmed.replace(' ', 'T'));
    if (Number.isFinite(parsed)) return parsed;
  }
  throw new CtlFailure(`--since ${JSON.stringify(text)}: expected a duration such as 7d, 24h or 30m, or a date such as 2026-01-31`, EXIT_USAGE);
}

/** A whole number of at least 1, for `--limit`. */
export function parseLimit(text: string): number {
  const trimmed = text.trim();
  const n = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(n) || n < 1) {
    throw new CtlFailure(`--limit ${JSON.stringify(text)}: expected a whole number of at least 1`, EXIT_USAGE);
  }
  return n;
}
