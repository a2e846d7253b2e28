import { CtlFailure, EXIT_USAGE } from '../ctl-failure.ts';

// Values of the commands' options: `--since` (a duration back from now, or a date), `--limit`,
// `--width` and `--poll-every`.

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
  // Hundreds of digits make Infinity, which no period is.
  return Number.isFinite(total) ? total : undefined;
}

/** The span of time a Date can hold either side of 1970 (±100 million days); past it, a date prints as NaN. */
const MAX_DATE_MS = 8.64e15;

function isDateTime(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS;
}

/**
 * The start of the period `--since` names, in epoch milliseconds: a duration back from
 * `now`, a date (`2026-01-31`, local midnight) or a date and time (`2026-01-31T08:00`,
 * ISO 8601). Throws a usage failure for anything else.
 */
export function parseSince(text: string, now: number): number {
  const duration = parseDuration(text);
  if (duration !== undefined && isDateTime(now - duration)) return now - duration;
  const trimmed = text.trim();
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  if (dateOnly) {
    const [year, month, day] = [Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3])];
    const local = new Date(year, month - 1, day);
    // Date rolls 2026-02-31 over to March; a date that does not exist is a typo.
    if (local.getFullYear() === year && local.getMonth() === month - 1 && local.getDate() === day && isDateTime(local.getTime())) return local.getTime();
  } else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(trimmed)) {
    const parsed = Date.parse(trimmed.replace(' ', 'T'));
    if (isDateTime(parsed)) return parsed;
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

/** The columns `--width` draws for: narrower breaks the layout, wider only makes a huge output. */
export const MIN_WIDTH = 40;
export const MAX_WIDTH = 1000;

/** `--width`: a whole number of columns from MIN_WIDTH to MAX_WIDTH. */
export function parseWidth(text: string): number {
  const trimmed = text.trim();
  const n = Number(trimmed);
  if (!/^\d{1,9}$/.test(trimmed) || n < MIN_WIDTH || n > MAX_WIDTH)
    throw new CtlFailure(`--width ${JSON.stringify(text)}: expected a whole number of columns from ${MIN_WIDTH} to ${MAX_WIDTH}`, EXIT_USAGE);
  return n;
}

/** `--poll-every`: often enough to follow a session, rarely enough to leave the CPU alone, within what a timer can wait. */
export const MIN_POLL_MS = 100;
export const MAX_POLL_MS = 86_400_000;

/** `--poll-every`: milliseconds from MIN_POLL_MS to MAX_POLL_MS (one day). */
export function parsePollEvery(text: string): number {
  const trimmed = text.trim();
  const n = Number(trimmed);
  if (!/^\d+(\.\d+)?$/.test(trimmed) || !(n >= MIN_POLL_MS && n <= MAX_POLL_MS))
    throw new CtlFailure(`--poll-every ${JSON.stringify(text)}: expected a number of milliseconds from ${MIN_POLL_MS} to ${MAX_POLL_MS} (one day)`, EXIT_USAGE);
  return n;
}
