import { existsSync, watch } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Resolves once `path` exists: its folder is watched, so no time goes to polling. Rejects after
 * `timeoutMs`. Whoever writes the file should rename it into place, so that it is whole once seen.
 */
export function fileAppears(path: string, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const watcher = watch(dirname(path), () => {
      if (existsSync(path)) settle();
    });
    const timer = setTimeout(() => settle(new Error(`${path} did not appear within ${timeoutMs} ms`)), timeoutMs);
    const settle = (error?: Error) => {
      watcher.close();
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    if (existsSync(path)) settle();
  });
}
