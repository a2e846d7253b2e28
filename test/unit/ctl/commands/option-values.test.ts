import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_POLL_MS, parseDuration, parseLimit, parsePollEvery, parseSince, parseWidth } from '../../../../src/ctl/commands/option-values.ts';
import { CtlFailure, EXIT_USAGE } from '../../../../src/ctl/ctl-failure.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

test('durations: seconds to weeks, combined, case and spaces forgiven', () => {
  assert.equal(parseDuration('7d'), 7 * DAY);
  assert.equal(parseDuration('24h'), 24 * HOUR);
  assert.equal(parseDuration('30m'), 30 * MINUTE);
  assert.equal(parseDuration('45s'), 45_000);
  assert.equal(parseDuration('2w'), 14 * DAY);
  assert.equal(parseDuration('1h30m'), 90 * MINUTE);
  assert.equal(parseDuration('1.5h'), 90 * MINUTE);
  assert.equal(parseDuration(' 7D '), 7 * DAY);
  for (const bad of ['7', 'd', '7x', '-7d', '7 d', '', '1h 30m', 'seven days']) assert.equal(parseDuration(bad), undefined, bad);
});

test('--since: a duration counts back from now', () => {
  const now = Date.UTC(2026, 0, 31, 12, 0, 0);
  assert.equal(parseSince('7d', now), now - 7 * DAY);
  assert.equal(parseSince('30m', now), now - 30 * MINUTE);
});

test('--since: a date is local midnight, a date and time is ISO 8601', () => {
  const now = Date.now();
  assert.equal(parseSince('2026-01-31', now), new Date(2026, 0, 31).getTime());
  assert.equal(parseSince('2026-01-31T08:30:00Z', now), Date.UTC(2026, 0, 31, 8, 30));
  assert.equal(parseSince('2026-01-31T08:30', now), new Date(2026, 0, 31, 8, 30).getTime());
  assert.equal(parseSince('2026-01-31 08:30', now), new Date(2026, 0, 31, 8, 30).getTime());
});

test('--since: anything else is a usage error with a one-line message', () => {
  for (const bad of ['yesterday', '7', '2026-02-31', '2026-13-01', '31/01/2026', '']) {
    assert.throws(
      () => parseSince(bad, Date.now()),
      (error: unknown) => error instanceof CtlFailure && error.exitCode === EXIT_USAGE && !error.message.includes('\n') && error.message.startsWith('--since'),
      bad,
    );
  }
});

test('--since: a duration or date past the range a Date holds is a usage error, not NaN', () => {
  const now = Date.now();
  assert.equal(parseDuration(`${'9'.repeat(400)}d`), undefined);
  for (const bad of ['99999999999d', `${'9'.repeat(400)}d`, '999999-01-01', '+275761-01-01T00:00', '275761-01-01']) {
    assert.throws(
      () => parseSince(bad, now),
      (error: unknown) => error instanceof CtlFailure && error.exitCode === EXIT_USAGE && error.message.startsWith(`--since ${JSON.stringify(bad)}: expected`),
      bad,
    );
  }
  // The far end of the range still is a time.
  assert.equal(parseSince('9999-12-31', now), new Date(9999, 11, 31).getTime());
  assert.equal(parseSince('100000w', now), now - 100_000 * 7 * DAY);
});

test('--width: 40 to 1000 columns', () => {
  assert.equal(parseWidth('40'), 40);
  assert.equal(parseWidth(' 1000 '), 1000);
  for (const bad of ['39', '1001', '99999999', '10000000', '1e3', '80.5', '', 'wide']) {
    assert.throws(
      () => parseWidth(bad),
      (error: unknown) =>
        error instanceof CtlFailure &&
        error.exitCode === EXIT_USAGE &&
        error.message === `--width ${JSON.stringify(bad)}: expected a whole number of columns from 40 to 1000`,
      bad,
    );
  }
});

test('--poll-every: 100 ms to a day, within what a timer can wait', () => {
  assert.equal(parsePollEvery('100'), 100);
  assert.equal(parsePollEvery('2500.5'), 2500.5);
  assert.equal(parsePollEvery(String(MAX_POLL_MS)), 86_400_000);
  for (const bad of ['0', '99', '86400001', '1e99', 'Infinity', '-5', '', 'often']) {
    assert.throws(
      () => parsePollEvery(bad),
      (error: unknown) =>
        error instanceof CtlFailure && error.exitCode === EXIT_USAGE && error.message.startsWith(`--poll-every ${JSON.stringify(bad)}: expected`),
      bad,
    );
  }
});

test('--limit: a whole number of at least 1', () => {
  assert.equal(parseLimit('20'), 20);
  assert.equal(parseLimit(' 3 '), 3);
  for (const bad of ['0', '-1', '2.5', 'ten', '', '1e3']) {
    assert.throws(
      () => parseLimit(bad),
      (error: unknown) => error instanceof CtlFailure && error.exitCode === EXIT_USAGE,
      bad,
    );
  }
});
