// `k=v,k2=v2` lists with percent-encoded keys and values, as OTEL_EXPORTER_OTLP_HEADERS and
// OTEL_RESOURCE_ATTRIBUTES are written (the W3C baggage format the OpenTelemetry environment
// specification names). Read the way the OpenTelemetry SDK reads them: entries split on ",",
// anything after ";" in an entry is a property and dropped, key and value trimmed, neither
// empty. Entries may hold secrets: a warning names an entry by its place or its key, never
// by its text.

export type EntryVerdict = 'ok' | 'bad-key' | 'bad-value';

export type ListEntry = { place: number; ok: true; key: string; value: string } | { place: number; ok: false };

/** Every non-empty entry of `text`, numbered from 1 in the order written. */
export function readKeyValueEntries(text: string): ListEntry[] {
  const entries: ListEntry[] = [];
  for (const [index, raw] of text.split(',').entries()) {
    if (!raw.trim()) continue;
    const place = index + 1;
    const pair = raw.split(';', 1)[0] ?? '';
    const separator = pair.indexOf('=');
    const key = separator > 0 ? decoded(pair.slice(0, separator).trim()) : undefined;
    const value = separator > 0 ? decoded(pair.slice(separator + 1).trim()) : undefined;
    entries.push(key && value ? { place, ok: true, key, value } : { place, ok: false });
  }
  return entries;
}

function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * The entries of `text` as a record (a later entry of the same key wins); an entry that cannot
 * be read, or that `check` refuses, is left out with one warning in `warnings`.
 */
export function parseKeyValueList(
  text: string | undefined,
  warnings: string[],
  name: string,
  check?: (key: string, value: string) => EntryVerdict,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!text) return out;
  for (const entry of readKeyValueEntries(text)) {
    if (!entry.ok) {
      warnings.push(`${name}: ignoring entry ${entry.place} (expected key=value)`);
      continue;
    }
    const verdict = check ? check(entry.key, entry.value) : 'ok';
    if (verdict === 'ok') out[entry.key] = entry.value;
    // A key that is not a header name may be a secret written the wrong way (`Bearer abc=...`).
    else if (verdict === 'bad-key') warnings.push(`${name}: ignoring entry ${entry.place} (its key is not a header name: letters, digits, "-", "_" or ".")`);
    else warnings.push(`${name}: ignoring the entry for key "${entry.key}" (its value is not printable ASCII)`);
  }
  return out;
}
