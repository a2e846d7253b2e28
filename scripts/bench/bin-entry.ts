import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// The module bin/claude-otel.js loads: dist/cli/claude-otel.js as tsc writes it, or a
// bundle, whichever the build makes. The bench measures what users run.

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** Absolute path of the module, or undefined when the bin script names none under dist/. */
export async function binEntry(): Promise<string | undefined> {
  try {
    const bin = await readFile(join(REPO, 'bin', 'claude-otel.js'), 'utf8');
    const target = /from\s+['"](\.\.\/dist\/[^'"]+)['"]/.exec(bin)?.[1];
    return target ? join(REPO, 'bin', target) : undefined;
  } catch {
    return undefined;
  }
}

/** The same, relative to the repository (`./dist/...`), for reports. */
export async function binEntryRelative(): Promise<string | undefined> {
  const entry = await binEntry();
  return entry ? `./${relative(REPO, entry)}` : undefined;
}
