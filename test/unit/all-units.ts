import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'node:test';
import { pathToFileURL } from 'node:url';

// Every unit test file, loaded into one process: each file's own process would spend more
// starting Node and compiling TypeScript than running its tests. Each file is a suite of its
// own, so its top-level hooks stay its own.
const root = import.meta.dirname;
const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.test.ts'))
  .sort();
for (const file of files)
  describe(file, async () => {
    await import(pathToFileURL(join(root, file)).href);
  });
