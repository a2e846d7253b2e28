// The store's retention settings, read from the environment (the store applies them):
//
//   CLAUDE_OTEL_STORE_MAX_AGE_DAYS (30)  a run older than this is removed, delivered or not;
//   CLAUDE_OTEL_STORE_MAX_MB (200)       while the store is bigger, the oldest delivered runs go.

export const DEFAULT_MAX_AGE_DAYS = 30;
export const DEFAULT_MAX_MB = 200;

type Env = Record<string, string | undefined>;

export interface RetentionSettings {
  maxAgeDays: number;
  maxMb: number;
}

/** A number of days or megabytes: finite and not negative; undefined otherwise. */
export function parseRetentionLimit(raw: string): number | undefined {
  const text = raw.trim();
  const n = text === '' ? Number.NaN : Number(text);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

export function resolveRetentionSettings(env: Env): { settings: RetentionSettings; warnings: string[] } {
  const warnings: string[] = [];
  const read = (name: string, fallback: number, unit: string): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const n = parseRetentionLimit(raw);
    if (n !== undefined) return n;
    warnings.push(`${name}=${raw} is not a number of ${unit} (0 or more); using ${fallback}`);
    return fallback;
  };
  return {
    settings: {
      maxAgeDays: read('CLAUDE_OTEL_STORE_MAX_AGE_DAYS', DEFAULT_MAX_AGE_DAYS, 'days'),
      maxMb: read('CLAUDE_OTEL_STORE_MAX_MB', DEFAULT_MAX_MB, 'megabytes'),
    },
    warnings,
  };
}
