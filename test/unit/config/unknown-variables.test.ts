import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editDistance } from '../../../src/config/edit-distance.ts';
import { unknownVariableWarnings } from '../../../src/config/unknown-variables.ts';
import { resolveWrapperConfig } from '../../../src/config/wrapper-config.ts';

test('edit distance counts a swap of neighbours as one edit', () => {
  assert.equal(editDistance('ENDPOINT', 'ENDPIONT'), 1);
  assert.equal(editDistance('abc', 'abc'), 0);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('kitten', 'sitting'), 3);
});

test('misspelt OTEL_* and CLAUDE_OTEL_* names get "did you mean"; unknown CLAUDE_OTEL_* names are named; correct and foreign names are not', () => {
  const warnings = unknownVariableWarnings({
    OTEL_EXPORTER_OTLP_ENDPIONT: 'http://collector:4317',
    CLAUDE_OTEL_STATEDIR: '/tmp/x',
    CLAUDE_OTEL_FROBNICATE: '1',
    CLAUDE_OTEL_CACHE_TTL: '60',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_BSP_SCHEDULE_DELY: '100',
    OTEL_LOG_USER_PROMPTS: '1',
    OTEL_PYTHON_LOGGING_AUTO_INSTRUMENTATION_ENABLED: 'true',
    OTEL_SERVICE_NAME: 'x',
    CLAUDE_OTEL_DEBUG: '1',
    HOME: '/home/u',
  });
  assert.deepEqual(warnings, [
    'CLAUDE_OTEL_CACHE_TTL is not a setting claude-otel knows, so it has no effect; did you mean CLAUDE_OTEL_CACHE_TTL_S?',
    'CLAUDE_OTEL_FROBNICATE is not a claude-otel setting, so it has no effect',
    'CLAUDE_OTEL_STATEDIR is not a setting claude-otel knows, so it has no effect; did you mean CLAUDE_OTEL_STATE_DIR?',
    'OTEL_BSP_SCHEDULE_DELY is not a setting claude-otel knows, so it has no effect; did you mean OTEL_BSP_SCHEDULE_DELAY?',
    'OTEL_EXPORTER_OTLP_ENDPIONT is not a setting claude-otel knows, so it has no effect; did you mean OTEL_EXPORTER_OTLP_ENDPOINT?',
  ]);
});

test('the resolved configuration carries them once, with the other warnings', () => {
  const config = resolveWrapperConfig({ OTEL_EXPORTER_OTLP_ENDPIONT: 'http://collector:4317' });
  assert.equal(config.warnings.filter((w) => w.includes('OTEL_EXPORTER_OTLP_ENDPIONT')).length, 1);
});
