import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sessionsDir } from '../../store/local-store.ts';
import { StoreReader } from '../views/store-reader.ts';
import type { Warn } from '../views/store-reader.ts';

// The store as the server last read it. Every file the wrapper writes is renamed into its run's
// directory, which changes that directory's time: the run directories' names and times say
// whether anything changed, without opening a file. The store is read again only then, so a
// page that asks again and again costs a directory listing, not a read of every session.

export class StoreSnapshot {
  private reader: StoreReader | undefined;
  private fingerprint = '';
  /** Counts the changes seen: the page's live updates name the version they announce. */
  version = 0;

  constructor(
    readonly stateDir: string,
    private readonly warn: Warn,
  ) {}

  /** The store read no earlier than its last change. */
  current(): StoreReader {
    this.refresh();
    if (!this.reader) this.reader = new StoreReader(this.stateDir, this.warn);
    return this.reader;
  }

  /** Looks whether the store changed; true when it did (the next `current()` reads it again). */
  refresh(): boolean {
    const fingerprint = storeFingerprint(this.stateDir);
    if (fingerprint === this.fingerprint) return false;
    this.fingerprint = fingerprint;
    this.reader = undefined;
    this.version += 1;
    return true;
  }
}

/** Each run directory's name and time; a directory that cannot be read counts as its name alone. */
function storeFingerprint(stateDir: string): string {
  const root = sessionsDir(stateDir);
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return '';
  }
  const parts: string[] = [];
  for (const name of names) {
    try {
      parts.push(`${name}:${lstatSync(join(root, name)).mtimeMs}`);
    } catch {
      parts.push(name);
    }
  }
  return parts.sort().join('\n');
}
