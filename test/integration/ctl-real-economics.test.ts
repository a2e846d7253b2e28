import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startScenario, ALLOW_TOOLS, CTL_BIN, CLI_DEFAULTS } from '../support/scenario.ts';
import { runCommand } from '../support/claude-run.ts';

// The views of a real session (real CLI, scripted API, the wrapper's store, no collector) in a
// git work tree: a Bash call commits and then idles past CLAUDE_OTEL_CACHE_TTL_S, so the next
// call rebuilds the prompt cache. show, stats --by and the report must say so.

const GIT_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

test('a real session with a commit and a cache rebuild, seen through show, stats --by and the report', async () => {
  const s = await startScenario([
    {
      kind: 'tools',
      tools: [{ name: 'Bash', input: { command: 'echo x > x.txt && git add x.txt && git commit -q -m x && sleep 2' } }],
      usage: { input_tokens: 100, output_tokens: 30, cache_read_input_tokens: 0, cache_creation_input_tokens: 2000 },
    },
    { kind: 'text', text: 'Done.', usage: { input_tokens: 50, output_tokens: 12, cache_read_input_tokens: 100, cache_creation_input_tokens: 3000 } },
  ]);
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: s.sandbox.cwd, env: GIT_ENV, encoding: 'utf8' }).trim();
    git('init', '-q', '-b', 'work');
    git('config', 'user.name', 'test');
    git('config', 'user.email', 'test@example.invalid');
    git('commit', '-q', '--allow-empty', '-m', 'start');
    git('remote', 'add', 'origin', 'git@example.invalid:team/shop.git');
    const noCollector = { OTEL_EXPORTER_OTLP_ENDPOINT: undefined, OTEL_EXPORTER_OTLP_PROTOCOL: undefined, CLAUDE_OTEL_CACHE_TTL_S: '1' };
    const run = await s.wrapper(['-p', 'commit and wait', ...ALLOW_TOOLS], { env: noCollector });
    assert.equal(run.exitCode, 0, run.stderr);
    const ctl = async (args: string[]) => {
      const r = await runCommand(CTL_BIN, args, { sandbox: s.sandbox, env: { CLAUDE_OTEL_STATE_DIR: s.stateDir } });
      assert.equal(r.exitCode, 0, r.stderr);
      return r.stdout.toString();
    };

    const shown = await ctl(['show', 'last', '--width', '140']);
    assert.match(shown, /^repository team\/shop · branch work · 1 commit made \([0-9a-f]{7} → [0-9a-f]{7}\) · https:\/\/example\.invalid\/team\/shop$/m);
    assert.match(shown, /^cache hit [\d.]+% · 1 cache rebuild \(\$\d+\.\d{4}\) · 0 compactions$/m);
    assert.match(shown, /^cost by component: input \$\S+ · output \$\S+ · cache read \$\S+ · cache write \$\S+$/m);
    const chatRows = shown.split('\n').filter((l) => l.includes(`chat ${CLI_DEFAULTS.model}`));
    assert.equal(chatRows.length, 2);
    assert.doesNotMatch(chatRows[0] ?? '', /\[cache rebuild\]/, 'the first call is no rebuild');
    assert.ok((chatRows[1] ?? '').includes(`[cache rebuild] chat ${CLI_DEFAULTS.model}`), chatRows[1]);

    const shownJson = JSON.parse(await ctl(['show', 'last', '--json'])) as {
      session: { costUsd: number };
      costAndTime: { cost: Record<string, number>; rebuilds: number; rebuildCostUsd: number };
    };
    const parts = shownJson.costAndTime.cost;
    const sum = (parts.input ?? 0) + (parts.output ?? 0) + (parts.cacheRead ?? 0) + (parts.cacheWrite ?? 0);
    assert.ok(Math.abs(sum - shownJson.session.costUsd) < 1e-9, `components ${sum} add up to ${shownJson.session.costUsd}`);
    assert.equal(shownJson.costAndTime.rebuilds, 1);
    assert.ok(shownJson.costAndTime.rebuildCostUsd > 0 && shownJson.costAndTime.rebuildCostUsd < (parts.cacheWrite ?? 0));

    const byBranch = JSON.parse(await ctl(['stats', '--by', 'branch', '--json'])) as {
      groups: { key: string; sessions: number; commits: number; rebuilds: number; costUsd: number }[];
    };
    assert.deepEqual(
      byBranch.groups.map((g) => [g.key, g.sessions, g.commits, g.rebuilds]),
      [['team/shop@work', 1, 1, 1]],
    );
    assert.ok(Math.abs((byBranch.groups[0]?.costUsd ?? 0) - shownJson.session.costUsd) < 1e-9);
    const byModel = await ctl(['stats', '--by', 'model']);
    assert.match(byModel, new RegExp(`^${CLI_DEFAULTS.model}\\s+1\\s+2\\s`, 'm'));

    const file = join(s.sandbox.home, 'report.html');
    await ctl(['report', '--html', file]);
    const html = readFileSync(file, 'utf8');
    assert.match(html, /<h2>Where the money went<\/h2>/);
    assert.match(html, /1 rebuild, [\d.]+% of the cost/);
    assert.match(html, />team\/shop</);
    assert.match(html, /<tr class="chat rebuild">/);
  } finally {
    await s.close();
  }
});
