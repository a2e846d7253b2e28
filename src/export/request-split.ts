import type { EncodedRequest } from './request-exporters.ts';

// A request too big for the collector as several smaller ones, each with consecutive items of
// the original, in order. Collectors refuse what is over their limit (gRPC's 4 MiB message size
// by default, RESOURCE_EXHAUSTED), and a session refused once would be refused on every replay.
// Both kinds of request split here: a live flush's (SDK objects) and a stored chunk's (OTLP JSON).

/** Encodes a run of items as one request of the protocol it goes out with. */
export type EncodeItems<T> = (items: readonly T[]) => Uint8Array;

/**
 * `items` in consecutive groups whose encoding is at most `maxBytes`: first as many equal
 * groups as the whole's size asks for, then halving any group still too big. An item that
 * is over the limit alone goes alone (the collector may still take it, or say why not).
 */
export function splitItems<T>(items: readonly T[], encode: EncodeItems<T>, maxBytes: number, wholeBytes: number): EncodedRequest[] {
  const out: EncodedRequest[] = [];
  const place = (group: readonly T[]) => {
    const body = encode(group);
    if (body.length <= maxBytes || group.length === 1) {
      out.push({ body, items: group.length });
      return;
    }
    const half = Math.ceil(group.length / 2);
    place(group.slice(0, half));
    place(group.slice(half));
  };
  // A little more than the ratio: items differ in size, and a group that misses is encoded twice.
  const groups = Math.min(items.length, Math.max(1, Math.ceil((wholeBytes / maxBytes) * 1.1)));
  const size = Math.ceil(items.length / groups);
  for (let start = 0; start < items.length; start += size) place(items.slice(start, start + size));
  return out;
}

/** The request as it goes out: itself, or its parts when it is over `maxBytes` and can be split. */
export function requestParts(request: EncodedRequest, maxBytes: number): EncodedRequest[] {
  if (request.body.length <= maxBytes || !request.split) return [request];
  return request.split(maxBytes);
}
