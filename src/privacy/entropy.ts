// Optional detection of values that look random (CLAUDE_OTEL_REDACT_ENTROPY=on): a long
// value drawn from many symbols, in an assignment whose name says nothing. Off by default
// because ids, hashes and base64 data look random too.

const MIN_LENGTH = 20;
/** Bits per character; hex (at most 4 bits) never reaches it, random base64url does. */
const MIN_BITS_PER_CHAR = 4.2;
const MAX_LENGTH = 4096;

/** Shannon entropy of the characters of `text`, in bits per character. */
export function bitsPerChar(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** A credential-like value: long, of mixed letters and digits, with high entropy. */
export function looksRandom(value: string): boolean {
  if (value.length < MIN_LENGTH || value.length > MAX_LENGTH) return false;
  if (!/[0-9]/.test(value) || !/[a-z]/.test(value) || !/[A-Z]/.test(value)) return false;
  return bitsPerChar(value) >= MIN_BITS_PER_CHAR;
}
