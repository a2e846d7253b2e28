import { oneLine } from '../../views/terminal-text.ts';

// How many terminal columns text takes, and how to cut and wrap it by that measure: a
// Japanese prompt or an emoji takes two columns per character, a combining mark none, and
// `.length` counts UTF-16 units, which is neither. Text is cut between graphemes only, so an
// emoji or an accented letter is never split. Colour codes (SGR) take no room.

const SGR = /\u001b\[[0-9;]*m/g;
/** Printable ASCII only: one column per character, no need to segment. */
const ASCII = /^[\u0020-\u007e]*$/;
/** Characters drawn with no width of their own: combining marks (variation selectors among them), joiners and other format characters. */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]+$/u;
const EMOJI_PRESENTATION = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\ufe0f|\p{Regional_Indicator}/u;

/** East Asian Wide and Fullwidth blocks (Unicode's EastAsianWidth W and F), by first code point. */
const WIDE_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4],
  [0x17000, 0x18aff],
  [0x1b000, 0x1b2ff],
  [0x1f200, 0x1f2ff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

function isWide(codePoint: number): boolean {
  for (const [from, to] of WIDE_RANGES) {
    if (codePoint < from) return false;
    if (codePoint <= to) return true;
  }
  return false;
}

let segmenter: Intl.Segmenter | undefined;

/** The graphemes of `text` (what a person sees as one character). */
export function graphemes(text: string): string[] {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** Columns one grapheme takes: 0, 1 or 2. */
export function graphemeWidth(grapheme: string): number {
  if (ASCII.test(grapheme)) return grapheme.length;
  if (ZERO_WIDTH.test(grapheme)) return 0;
  if (EMOJI_PRESENTATION.test(grapheme)) return 2;
  return isWide(grapheme.codePointAt(0) ?? 0) ? 2 : 1;
}

/** Columns `text` takes on a terminal (one line; colour codes take none). */
export function displayWidth(text: string): number {
  const plain = text.includes('\u001b') ? text.replace(SGR, '') : text;
  if (ASCII.test(plain)) return plain.length;
  let width = 0;
  for (const g of graphemes(plain)) width += graphemeWidth(g);
  return width;
}

/** `text` padded with spaces on the right (left for `alignRight`) to `width` columns. */
export function padToWidth(text: string, width: number, alignRight = false): string {
  const gap = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return alignRight ? gap + text : text + gap;
}

/** The longest start of `text` (plain, no colour codes) that fits in `width` columns, and the rest. */
function takeWidth(text: string, width: number): [string, string] {
  let used = 0;
  let end = 0;
  for (const g of graphemes(text)) {
    const w = graphemeWidth(g);
    if (used + w > width) break;
    used += w;
    end += g.length;
  }
  return [text.slice(0, end), text.slice(end)];
}

/** Cuts `text` to `width` columns on one line, ending with `…` when it had to; never inside a character. */
export function clipToWidth(text: string, width: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (width <= 0) return '';
  if (displayWidth(oneLine) <= width) return oneLine;
  return `${takeWidth(oneLine, width - 1)[0]}…`;
}

/** Splits `text` into units: colour codes (no width) and graphemes. */
function units(text: string): string[] {
  const out: string[] = [];
  let last = 0;
  for (const match of text.matchAll(SGR)) {
    out.push(...graphemes(text.slice(last, match.index)), match[0]);
    last = match.index + match[0].length;
  }
  out.push(...graphemes(text.slice(last)));
  return out;
}

/** Cuts a word too long for a line into pieces of at most `width` columns (colour codes kept). */
function breakWord(word: string, width: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  let used = 0;
  for (const unit of units(word)) {
    const w = unit.startsWith('\u001b') ? 0 : graphemeWidth(unit);
    if (used + w > width && used > 0) {
      pieces.push(piece);
      piece = '';
      used = 0;
    }
    piece += unit;
    used += w;
  }
  if (piece) pieces.push(piece);
  return pieces;
}

/**
 * `text` (one paragraph; colour codes allowed) as lines of at most `width` columns, broken at
 * spaces; only a word longer than a whole line is broken inside, between graphemes. Line breaks
 * and tabs in it (stored text may hold them) are spaces: the lines are this function's to make.
 */
export function wrapToWidth(paragraph: string, width: number): string[] {
  const text = oneLine(paragraph);
  const room = Math.max(1, Math.floor(width));
  if (displayWidth(text) <= room) return [text];
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const word of text.split(/ +/)) {
    const w = displayWidth(word);
    if (w === 0 && !word) continue;
    if (used > 0 && used + 1 + w <= room) {
      line += ` ${word}`;
      used += 1 + w;
      continue;
    }
    if (used > 0) lines.push(line);
    if (w <= room) {
      line = word;
      used = w;
      continue;
    }
    const pieces = breakWord(word, room);
    lines.push(...pieces.slice(0, -1));
    line = pieces.at(-1) ?? '';
    used = displayWidth(line);
  }
  if (used > 0 || line) lines.push(line);
  return lines;
}
