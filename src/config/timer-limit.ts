// Node's timers hold at most 2^31-1 ms (about 24.8 days); a longer one fires after 1 ms and
// prints a TimeoutOverflowWarning on the terminal. Every timeout the user can set is clamped
// to it (with a warning in the debug log), and so is every sum the wrapper makes of them.

export const MAX_TIMER_MS = 2 ** 31 - 1;

/** `ms` within what a timer can wait: 0 to 2^31-1. */
export function clampTimerMs(ms: number): number {
  return Math.min(MAX_TIMER_MS, Math.max(0, ms));
}

/** A timeout setting, clamped; a value over the limit leaves a warning naming the setting. */
export function clampTimeoutSetting(name: string, ms: number, warnings: string[]): number {
  if (ms <= MAX_TIMER_MS) return ms;
  warnings.push(`${name}=${ms} is longer than a timer can wait; using ${MAX_TIMER_MS} ms (about 24.8 days)`);
  return MAX_TIMER_MS;
}
