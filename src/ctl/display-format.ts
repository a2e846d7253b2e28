import { clipToWidth } from './render/text/display-width.ts';

// How the viewing commands write times, durations, token counts and money for people.

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `2026-01-31 08:05:09`, local time. */
export function formatLocalTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${localDay(epochMs)} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `2026-01-31`: the local calendar day. */
export function localDay(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** `850ms`, `2.07s`, `3m05s`, `1h02m`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)}s`;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)}m${pad(totalSeconds % 60)}s`;
  const totalMinutes = Math.round(totalSeconds / 60);
  return `${Math.floor(totalMinutes / 60)}h${pad(totalMinutes % 60)}m`;
}

/** `$0.0079` below a dollar (sessions are often cheaper than a cent), `$12.35` above. */
export function formatCost(usd: number): string {
  if (usd === 0) return '$0';
  return usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/** `1,187`. */
/** 1234567 → "1,234,567". Not toLocaleString: loading the locale data costs each command about 25 ms. */
export function formatCount(n: number): string {
  const digits = String(Math.abs(Math.round(n)));
  const grouped = digits.replace(/\B(?=(\d{3})+$)/g, ',');
  return Math.round(n) < 0 ? `-${grouped}` : grouped;
}

/** `950`, `12.3k`, `456k`, `1.2M`: a count in at most six columns. */
export function formatCompactCount(n: number): string {
  const abs = Math.abs(n);
  if (abs < 1000) return String(Math.round(n));
  for (const [size, unit] of [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ] as const) {
    if (abs >= size) {
      const scaled = n / size;
      return `${Math.abs(scaled) < 100 ? scaled.toFixed(1).replace(/\.0$/, '') : Math.round(scaled)}${unit}`;
    }
  }
  return String(Math.round(n));
}

export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/** Cuts `text` to `width` terminal columns, ending with `…` when it had to; one line only, never inside a character. */
export const clip = clipToWidth;
