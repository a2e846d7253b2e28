// `npm test` runs every integration file against both Claude CLIs in one test-runner run (one
// summary at the end): test/integration/ as it is (the pinned CLI), and for the newest CLI one
// small file per integration file that runs claude, written here, that selects it and imports the
// original. Written afresh on every run so that a new integration file is covered without anyone
// adding a twin; files that never start claude (they import neither harness) run once.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const integration = `${root}test/integration`;
const newest = `${root}test/cli-newest`;

rmSync(newest, { recursive: true, force: true });
mkdirSync(newest, { recursive: true });
const RUNS_CLAUDE = /from '\.\.\/support\/(?:scenario|claude-run)\.ts'/;

for (const file of readdirSync(integration)
  .filter((f) => f.endsWith('.test.ts'))
  .sort()) {
  if (!RUNS_CLAUDE.test(readFileSync(`${integration}/${file}`, 'utf8'))) continue;
  writeFileSync(
    `${newest}/${file}`,
    [
      `// Written by scripts/test-matrix.ts: test/integration/${file} against the newest Claude CLI.`,
      `process.env.CLAUDE_OTEL_TEST_CLI = 'newest';`,
      `await import('../integration/${file}');`,
      '',
    ].join('\n'),
  );
}
