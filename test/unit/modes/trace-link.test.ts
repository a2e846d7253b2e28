import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { announceTrace, traceUrl } from '../../../src/modes/trace-link.ts';
import { recordingLog } from './fakes.ts';
import { scratchDir } from '../../support/scratch-dir.ts';

// The session's trace id and link for scripts: on stderr, and in GitHub Actions' job summary.

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

/** What announceTrace writes to stderr while `work` runs. */
async function stderrOf(t: TestContext, work: () => Promise<void>): Promise<string> {
  const written: string[] = [];
  t.mock.method(process.stderr, 'write', (chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  await work();
  return written.join('');
}

test('the URL template takes the trace id in either spelling, trimmed; a blank template gives no link', () => {
  assert.equal(traceUrl(' https://ui.example/trace/{trace_id}?q={traceId} ', TRACE), `https://ui.example/trace/${TRACE}?q=${TRACE}`);
  assert.equal(traceUrl(undefined, TRACE), undefined);
  assert.equal(traceUrl('   ', TRACE), undefined);
  assert.equal(traceUrl('https://ui.example/static', TRACE), 'https://ui.example/static');
});

test('the trace id and the link go to stderr, and the link to the job summary, appended', async (t) => {
  const summary = join(scratchDir('claude-otel-summary-'), 'step-summary.md');
  writeFileSync(summary, '# Earlier step\n');
  const log = recordingLog();
  const stderr = await stderrOf(t, () =>
    announceTrace(TRACE, { print: true, settings: { urlTemplate: 'https://ui.example/{trace_id}', jobSummaryPath: summary }, debugLog: log }),
  );
  assert.equal(stderr, `claude-otel: trace_id=${TRACE}\nclaude-otel: trace https://ui.example/${TRACE}\n`);
  assert.equal(readFileSync(summary, 'utf8'), `# Earlier step\n- Claude session trace: [${TRACE}](https://ui.example/${TRACE})\n`);
  assert.deepEqual(log.records, []);
});

test('without a link nothing goes to the job summary, and without --otel-print-trace-id no id is printed', async (t) => {
  const summary = join(scratchDir('claude-otel-summary-'), 'step-summary.md');
  writeFileSync(summary, '');
  const stderr = await stderrOf(t, () =>
    announceTrace(TRACE, { print: false, settings: { urlTemplate: undefined, jobSummaryPath: summary }, debugLog: recordingLog() }),
  );
  assert.equal(stderr, '');
  assert.equal(readFileSync(summary, 'utf8'), '');
});

test('a job summary that cannot be written is a warning in the debug log, not a failure', async (t) => {
  const missing = join(scratchDir('claude-otel-summary-'), 'no-such-dir', 'summary.md');
  const log = recordingLog();
  const stderr = await stderrOf(t, () =>
    announceTrace(TRACE, { print: false, settings: { urlTemplate: 'https://ui.example/{trace_id}', jobSummaryPath: missing }, debugLog: log }),
  );
  assert.equal(stderr, `claude-otel: trace https://ui.example/${TRACE}\n`);
  assert.equal(log.records.length, 1);
  assert.equal(log.records[0]?.level, 'warn');
  assert.equal(log.records[0]?.message, 'could not write the GitHub job summary');
  assert.match(String(log.records[0]?.fields?.error), /ENOENT/);
});
