import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { createHash } from 'node:crypto';
import type { SamplerName } from '../../../src/config/privacy-config.ts';
import { createSampler, samplerKeeps, spanVerdict } from '../../../src/telemetry/session-sampling.ts';

// Trace ids that are spread like random ones but the same on every run.
const traceIds = Array.from({ length: 2000 }, (_, i) => createHash('sha256').update(`session-${i}`).digest('hex').slice(0, 32));

function kept(sampler: SamplerName, ratio: number): Set<string> {
  const s = createSampler({ sampler, samplerRatio: ratio });
  return new Set(traceIds.filter((id) => samplerKeeps(s, id, undefined)));
}

function parent(sampled: boolean) {
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });
}

test('ratio 0 keeps no session, ratio 1 keeps every session', () => {
  assert.equal(kept('traceidratio', 0).size, 0);
  assert.equal(kept('traceidratio', 1).size, traceIds.length);
  assert.equal(kept('parentbased_traceidratio', 0).size, 0);
  assert.equal(kept('parentbased_traceidratio', 1).size, traceIds.length);
});

test('a ratio keeps about that share of sessions, and a larger ratio keeps a superset', () => {
  const quarter = kept('traceidratio', 0.25);
  const half = kept('traceidratio', 0.5);
  // 2000 fixed ids: the share is fixed too; the bounds only allow for how the ids happen to spread.
  assert.ok(quarter.size > 400 && quarter.size < 600, `kept ${quarter.size} of 2000 at 0.25`);
  assert.ok(half.size > 900 && half.size < 1100, `kept ${half.size} of 2000 at 0.5`);
  for (const id of quarter) assert.ok(half.has(id), `${id} kept at 0.25 but not at 0.5`);
});

test('the decision is the same for a session every time it is asked, by any sampler built from the same settings', () => {
  const first = kept('traceidratio', 0.3);
  const again = kept('traceidratio', 0.3);
  assert.deepEqual([...again], [...first]);
  const one = createSampler({ sampler: 'traceidratio', samplerRatio: 0.3 });
  for (const id of traceIds.slice(0, 50)) {
    const answers = new Set([samplerKeeps(one, id, undefined), samplerKeeps(one, id, undefined), samplerKeeps(one, id, undefined)]);
    assert.equal(answers.size, 1);
    assert.equal(answers.has(true), first.has(id));
  }
});

test('always_on and always_off ignore the trace id', () => {
  assert.equal(kept('always_on', 0).size, traceIds.length);
  assert.equal(kept('always_off', 1).size, 0);
});

test('parent-based samplers follow an inbound parent, and use their root sampler without one', () => {
  const id = traceIds[0] ?? '';
  for (const name of ['parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const) {
    const sampler = createSampler({ sampler: name, samplerRatio: 0 });
    assert.equal(samplerKeeps(sampler, id, parent(true)), true, `${name} with a sampled parent`);
    assert.equal(samplerKeeps(sampler, id, parent(false)), false, `${name} with an unsampled parent`);
  }
  assert.equal(samplerKeeps(createSampler({ sampler: 'parentbased_always_on', samplerRatio: 0 }), id, undefined), true);
  assert.equal(samplerKeeps(createSampler({ sampler: 'parentbased_always_off', samplerRatio: 1 }), id, undefined), false);
  // A non-parent-based sampler decides by itself, whatever the parent says.
  assert.equal(samplerKeeps(createSampler({ sampler: 'always_off', samplerRatio: 1 }), id, parent(true)), false);
});

test('a sampled session is kept; a failed one is kept whole when errors are kept, at any point', () => {
  for (const ended of [false, true]) {
    for (const failed of [false, true]) {
      for (const keepErrors of [false, true]) assert.equal(spanVerdict({ sampled: true, keepErrors, failed, ended }), 'keep');
    }
  }
  assert.equal(spanVerdict({ sampled: false, keepErrors: true, failed: true, ended: false }), 'keep');
  assert.equal(spanVerdict({ sampled: false, keepErrors: true, failed: true, ended: true }), 'keep');
});

test('a sampled-out session that has not failed is undecided until it ends, then dropped', () => {
  assert.equal(spanVerdict({ sampled: false, keepErrors: true, failed: false, ended: false }), 'undecided');
  assert.equal(spanVerdict({ sampled: false, keepErrors: true, failed: false, ended: true }), 'drop');
});

test('without keeping errors, a sampled-out session is dropped at once, failed or not', () => {
  for (const failed of [false, true]) {
    for (const ended of [false, true]) assert.equal(spanVerdict({ sampled: false, keepErrors: false, failed, ended }), 'drop');
  }
});
