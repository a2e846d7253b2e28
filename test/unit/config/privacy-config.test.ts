import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveWrapperConfig } from '../../../src/config/wrapper-config.ts';
import { REDACTED, redactorFor } from '../../../src/privacy/redact.ts';

// The store off: these tests look at settings only, not at a state dir.
const BASE = { CLAUDE_OTEL_STORE: 'off' };

test("a redaction pattern that is not a regular expression is one of the settings' warnings, once, and the others still apply", () => {
  const config = resolveWrapperConfig({ ...BASE, CLAUDE_OTEL_REDACT: 'ACME-[0-9]{6},,([', CLAUDE_OTEL_REDACT_ALLOW: '(x\nAKIAIOSFODNN7EXAMPLE' });
  assert.deepEqual(config.warnings, [
    'CLAUDE_OTEL_REDACT: "([" is not a regular expression; ignoring it',
    'CLAUDE_OTEL_REDACT_ALLOW: "(x" is not a regular expression; ignoring it',
  ]);
  const redact = redactorFor(config.privacy, config.secretValues);
  assert.equal(redact('ticket ACME-123456 key AKIAIOSFODNN7EXAMPLE'), `ticket ${REDACTED} key AKIAIOSFODNN7EXAMPLE`);
});

test('valid or empty redaction patterns give no warning', () => {
  assert.deepEqual(resolveWrapperConfig({ ...BASE, CLAUDE_OTEL_REDACT: 'ACME-[0-9]{6}', CLAUDE_OTEL_REDACT_ALLOW: ' ' }).warnings, []);
  assert.deepEqual(resolveWrapperConfig(BASE).warnings, []);
});
