import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, parseLimit, parseSince } from '../../../../src/ctl/commands/option-values.ts';
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
