import type { AttributeValue, Attributes } from '@opentelemetry/api';

// Length limits with a visible mark: a cut value ends in "…", so whoever reads it knows
// there was more. The SDK's own limit would cut silently, so the wrapper cuts first.

export const TRUNCATION_MARK = '…';

export function limitString(value: string, limit: number): string {
  if (value.length <= limit) return value;
  if (limit <= 0) return '';
  return value.slice(0, limit - TRUNCATION_MARK.length) + TRUNCATION_MARK;
}

function limitValue(value: AttributeValue | undefined, limit: number): AttributeValue | undefined {
  if (typeof value === 'string') return limitString(value, limit);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? limitString(v, limit) : v)) as AttributeValue;
  return value;
}

/** Cuts every string value of `attributes` in place. */
export function limitAttributes(attributes: Attributes, limit: number): void {
  if (!Number.isFinite(limit)) return;
  for (const [key, value] of Object.entries(attributes)) {
    const limited = limitValue(value, limit);
    if (limited !== value) attributes[key] = limited;
  }
}
