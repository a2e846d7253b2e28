// `npm test` runs the test files in batches of about a minute, each batch one process that runs
// its files one after another (each file a suite of its own, so its hooks stay its own). A
// process per file spent about a second of CPU starting Node, tsx and the test support, 60
// times over, on a machine whose cores the real CLI already keeps busy.
//
// A batch never mixes the two CLIs: the oldest CLI's twins (test/cli-pinned/) select it before
// the first import, and the module that names the CLI is read once per process.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A batch's length, in seconds of its files run alone. */
const BATCH_SECONDS = 60;
/** What a file not listed below takes. */
const USUAL_SECONDS = 6;
/**
 * The files that take longest alone on a 2-core machine, in seconds. Figures that go stale
 * only make the batches less even.
 */
const SECONDS: Record<string, number> = {
  'integration/resilience.test.ts': 34,
  'integration/print-output.test.ts': 31,
  'integration/agent-sdk.test.ts': 27,
  'integration/interactive.test.ts': 24,
  'integration/git-hostile-repository.test.ts': 23,
  'integration/ctl-views.test.ts': 21,
  'unit/all-units.ts': 19,
  'integration/git-context.test.ts': 19,
  'e2e/ctl-import.test.ts': 15,
  'integration/output-edges.test.ts': 15,
  'cli-pinned/e2e-ctl-import.test.ts': 14,
  'integration/edge-inputs.test.ts': 14,
  'integration/privacy.test.ts': 14,
  'e2e/native-telemetry.test.ts': 10,
  'e2e/first-contact.test.ts': 10,
  'integration/economics-interactive.test.ts': 10,
  'integration/ctl-serve-page.test.ts': 9,
  'integration/private-files.test.ts': 9,
  'cli-pinned/e2e-first-contact.test.ts': 9,
  'integration/resume-chain.test.ts': 9,
};

interface Batch {
  files: string[];
  seconds: number;
}

/** First fit, longest file first: a file longer than a batch is a batch of its own. */
function pack(files: string[], testRoot: string): Batch[] {
  const secondsOf = (file: string) => SECONDS[relative(testRoot, file)] ?? USUAL_SECONDS;
  const batches: Batch[] = [];
  for (const file of [...files].sort((a, b) => secondsOf(b) - secondsOf(a))) {
    const seconds = secondsOf(file);
    const batch = batches.find((b) => b.seconds + seconds <= BATCH_SECONDS);
    if (batch) {
      batch.files.push(file);
      batch.seconds += seconds;
    } else {
      batches.push({ files: [file], seconds });
    }
  }
  return batches;
}

/**
 * Writes the batches of these test files (absolute paths in the project at `root`) into `dir`, afresh, and returns their
 * paths, longest first. The oldest CLI's twins are batched apart from the rest.
 */
export function writeBatches(files: string[], root: string, dir: string): string[] {
  const testRoot = join(root, 'test');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pinned = files.filter((file) => relative(testRoot, file).startsWith('cli-pinned/'));
  const batches = [
    ...pack(
      files.filter((file) => !pinned.includes(file)),
      testRoot,
    ),
    ...pack(pinned, testRoot),
  ].sort((a, b) => b.seconds - a.seconds);
  return batches.map((batch, i) => {
    const path = join(dir, `batch-${String(i + 1).padStart(2, '0')}.test.ts`);
    // Each file by its name in the project, imported from the batch's folder.
    const imports = batch.files.map((file) => `  ['${relative(root, file)}', '${relative(dir, file)}'],`);
    writeFileSync(
      path,
      [
        '// Written by scripts/test-batches.ts: these test files one after another, in one process.',
        "import { describe } from 'node:test';",
        '',
        'for (const [name, path] of [',
        ...imports,
        '])',
        '  describe(name, async () => {',
        '    await import(new URL(path, import.meta.url).href);',
        '  });',
        '',
      ].join('\n'),
    );
    return path;
  });
}
