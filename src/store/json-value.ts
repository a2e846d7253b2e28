// Checks for JSON read from the store: the files come from disk, so nothing about their
// shape is taken on trust.

import { isJsonObject } from '../untrusted-json.ts';
import type { JsonObject } from '../untrusted-json.ts';

export type JsonRecord = JsonObject;

export const isRecord = isJsonObject;

export function stringField(record: JsonRecord, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

/** A finite number, or a numeric string (OTLP JSON may write 64-bit integers as strings). */
export function numberField(record: JsonRecord, key: string): number | undefined {
  return toFiniteNumber(record[key]);
}

export function booleanField(record: JsonRecord, key: string): boolean | undefined {
  const value = record[key];
  return typeof value === 'boolean' ? value : undefined;
}

export function arrayField(record: JsonRecord, key: string): unknown[] {
  const value = record[key];
  return Array.isArray(value) ? value : [];
}

export function toFiniteNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}
