// `npm test` runs the end-to-end tier against both Claude CLIs in one test-runner run (one
// summary at the end): test/e2e/ as it is (the newest CLI), and for the pinned, oldest supported
// CLI one small file per file that runs claude, written here, that selects it and imports the
// original (test/cli-pinned/e2e-<file>). The integration tier runs once, against the newest CLI.
// Written afresh on every run so that a new file is covered without anyone adding a twin; files
// that never start claude (they import none of the harnesses), and files whose claude is a script
// standing in for it (they start with the comment below), run once.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const pinned = `${root}test/cli-pinned`;

rmSync(pinned, { recursive: true, force: true });
mkdirSync(pinned, { recursive: true });
const RUNS_CLAUDE = /from '\.\.\/support\/(?:scenario|claude-run)\.ts'/;
/** A file whose claude is a script in its place (sizes and cut pipes the real CLI cannot be made to produce) says so: it runs once. */
const SCRIPTED_CLAUDE_ONLY = /^\/\/ Claude here is a script in its place\b/m;

for (const [folder, prefix] of [['e2e', 'e2e-']] as const) {
  const dir = `${root}test/${folder}`;
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .sort()) {
    const text = readFileSync(`${dir}/${file}`, 'utf8');
    if (!RUNS_CLAUDE.test(text) || SCRIPTED_CLAUDE_ONLY.test(text)) continue;
    writeFileSync(
      `${pinned}/${prefix}${file}`,
      [
        `// Written by scripts/test-matrix.ts: test/${folder}/${file} against the pinned (oldest supported) Claude CLI.`,
        `process.env.CLAUDE_OTEL_TEST_CLI = 'pinned';`,
        `await import('../${folder}/${file}');`,
        '',
      ].join('\n'),
    );
  }
}
