import { readFileSync } from 'node:fs';

// src/ and dist/ both sit one level below package.json.
function readVersion(): string {
  try {
    const json: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    if (typeof json === 'object' && json !== null && 'version' in json && typeof json.version === 'string') return json.version;
  } catch {
    // fall through
  }
  return '0.0.0';
}

export const PACKAGE_VERSION = readVersion();
