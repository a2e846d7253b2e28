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
  /** The files of directories seen while they were changing, by directory name. */
  private readonly entries = new Map<string, string>();

  /**
   * `onChange` hears of every change, whoever saw it first: a request that reads the store
   * after a change must not leave the live page unaware of the version it was served.
   */
  constructor(
    readonly stateDir: string,
    private readonly warn: Warn,
    private readonly onChange: () => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  /** The store read no earlier than its last change. */
  current(): StoreReader {
    this.refresh();
    if (!this.reader) this.reader = new StoreReader(this.stateDir, this.warn);
    return this.reader;
  }

  /** Looks whether the store changed; true when it did (the next `current()` reads it again, and `onChange` was told). */
  refresh(): boolean {
    const fingerprint = storeFingerprint(this.stateDir, this.entries, this.now());
    if (fingerprint === this.fingerprint) return false;
    this.fingerprint = fingerprint;
    this.reader = undefined;
    this.version += 1;
    this.onChange();
    return true;
  }
}

/**
 * A directory's time changes in steps of the kernel's clock tick on many systems: a file
 * renamed in during the tick in which the directory was last looked at leaves its time as it
 * was. So a directory changed within the last seconds is also known by its files' names and
 * inodes (a rename over meta.json gives it a new inode). Once settled, it keeps the files last
 * seen, so that settling alone is no change.
 */
const SETTLED_MS = 2_000;

function recentEntries(dir: string): string {
  try {
    return readdirSync(dir)
      .sort()
      .map((name) => `${name}@${lstatSync(join(dir, name)).ino}`)
      .join(',');
  } catch {
    return '';
  }
}

/** Each run directory's name and time; a directory that cannot be read counts as its name alone. */
function storeFingerprint(stateDir: string, entries: Map<string, string>, now: number): string {
  const root = sessionsDir(stateDir);
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return '';
  }
  const present = new Set(names);
  for (const name of entries.keys()) if (!present.has(name)) entries.delete(name);
  const parts: string[] = [];
  for (const name of names) {
    try {
      const dir = join(root, name);
      const { mtimeMs } = lstatSync(dir);
      if (now - mtimeMs < SETTLED_MS) entries.set(name, recentEntries(dir));
      parts.push(`${name}:${mtimeMs}:${entries.get(name) ?? ''}`);
    } catch {
      parts.push(name);
    }
  }
  return parts.sort().join('\n');
}
