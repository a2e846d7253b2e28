// The `key=value,key2=value2` lists of OTEL_EXPORTER_OTLP_HEADERS and OTEL_RESOURCE_ATTRIBUTES,
// read the way the OpenTelemetry exporters read them (the W3C baggage shape): entries split on
// commas, anything after a `;` in an entry is a property and dropped, key and value split on the
// first `=`, trimmed and percent-decoded. An entry without a key or a value, or whose percent
// escapes do not decode, is left out; a later entry with the same key wins.

function parsePair(entry: string): [key: string, value: string] | undefined {
  const pair = entry.split(';', 1)[0] ?? '';
  const equals = pair.indexOf('=');
  if (equals <= 0) return undefined;
  const rawKey = pair.slice(0, equals).trim();
  const rawValue = pair.slice(equals + 1).trim();
  if (!rawKey || !rawValue) return undefined;
  try {
    const key = decodeURIComponent(rawKey);
    const value = decodeURIComponent(rawValue);
    return value ? [key, value] : undefined;
  } catch {
    return undefined;
  }
}

export function parseKeyPairsIntoRecord(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of text.split(',')) {
    const pair = parsePair(entry);
    if (pair) out[pair[0]] = pair[1];
  }
  return out;
}
