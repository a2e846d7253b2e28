import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRedactor, MAX_REDACTED_LENGTH, REDACTED } from '../../../src/privacy/redact.ts';
import { scanToolOptions } from '../../../src/privacy/tool-password-flags.ts';

// Redaction stays linear on adversarial text. Speed itself is the benchmark's job
// (scripts/bench/redaction-cost.ts); here the scanners that read commands word by word count
// the characters they look at, and that count must grow with the text, not faster. The
// results on a full-size (1 MB) adversarial text are checked too.

function repeat(unit: string, chars: number): string {
  return unit.repeat(Math.ceil(chars / unit.length)).slice(0, chars);
}

/** As many whole copies of `unit` as fit in `chars`. */
function copies(unit: string, chars: number): string {
  return unit.repeat(Math.floor(chars / unit.length));
}

/** Characters the tool-option scanner reads per character of `text`. */
function workPerChar(text: string): number {
  const meter = { steps: 0 };
  scanToolOptions(text, () => {}, meter);
  return meter.steps / text.length;
}

const ADVERSARIAL_COMMANDS = [
  "7z -p'",
  '7z -p"',
  'curl -u a:',
  'curl -u "',
  "mysql -u 'x mysql ' -pEX ",
  '7z "\'',
  'docker login -p ',
  'sshpass -p ',
  "htpasswd -b'",
  'x:htpasswd -b a b ',
  "gh secret set x --body '",
  "'".repeat(7),
  '='.repeat(7),
];

for (const unit of ADVERSARIAL_COMMANDS) {
  test(`tool options in repeated ${JSON.stringify(unit)}: twice the text, twice the work`, () => {
    const small = workPerChar(repeat(unit, 64 * 1024));
    const large = workPerChar(repeat(unit, 128 * 1024));
    // The same work per character at both sizes (a quadratic scan doubles it), and few reads of each.
    assert.ok(Math.abs(large - small) <= 0.05 * small, `${small.toFixed(2)} → ${large.toFixed(2)} characters read per character`);
    assert.ok(large <= 6, `${large.toFixed(2)} characters read per character`);
  });
}

const redact = createRedactor();
const MB = MAX_REDACTED_LENGTH;

test("1 MB of repeated `7z -p'`: every password option is hidden, in one piece", () => {
  assert.equal(redact(copies("7z -p'", MB)), `7z -p'${REDACTED}'`);
});

test('1 MB of repeated `curl -u a:`: each password after a user is hidden', () => {
  const text = copies('curl -u a:', MB);
  const out = redact(text);
  assert.ok(out.startsWith(`curl -u a:${REDACTED} -u a:${REDACTED} -u a:`));
  assert.equal(out.split(REDACTED).length - 1, text.split('a:curl').length - 1);
  assert.ok(!out.includes('a:curl'));
});

test('1 MB of `password=$` references, quotes, `=` and `:` runs comes back as it was (but a bare `$`)', () => {
  const refs = copies('password=$', MB);
  assert.equal(redact(refs), `${refs.slice(0, -1)}${REDACTED}`);
  for (const unit of ["'", '"', '`', '=', ':', '=:', '"="', "\\'", '\\"', 'a=', 'a:', '--password "']) {
    const text = repeat(unit, MB);
    const out = redact(text);
    assert.ok(out.length > 0 && out.length <= text.length + REDACTED.length, unit);
  }
});

test('1 MB of lines each continued with a backslash: one secret, read once', () => {
  const text = copies('DB_PASS=x\\\n', MB);
  assert.equal(redact(text), `DB_PASS=${REDACTED}\\\n`);
});
