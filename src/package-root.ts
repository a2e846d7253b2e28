import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Where this package is installed. The code runs from src/ (tests), dist/ (the library) or
// dist/bundle/ (the commands), so the package.json is looked for upwards.

interface PackageInfo {
  root: string;
  version: string;
}

function findPackage(): PackageInfo | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth++) {
    try {
      const json: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (typeof json === 'object' && json !== null && 'name' in json && json.name === 'claude-otel') {
        const version = 'version' in json && typeof json.version === 'string' ? json.version : '0.0.0';
        return { root: dir, version };
      }
    } catch {
      // not here: one level up
    }
    dir = dirname(dir);
  }
  return undefined;
}

export const PACKAGE = findPackage();
