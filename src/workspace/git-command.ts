import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Readable } from 'node:stream';

// Runs git for what the files cannot answer (dirtiness, counting commits) without letting the
// repository decide anything. git reads the configuration of the git directory it works in,
// includes and all, and that configuration can name programs for git to run (core.fsmonitor,
// clean filters, hooks, an ssh command...). So git gets a git directory of our own, made for
// the one run: a config we write (the object format and a few settings that run nothing),
// HEAD as a commit id we read, and, when asked, links to the repository's refs. The objects,
// the index and the work tree are the repository's, named in the environment. Neither the
// system's nor the user's configuration is read, and the environment holds nothing of the
// caller's but PATH, and of that only the absolute directories: git runs in the work tree, where
// an empty, `.` or relative entry would find a `git` the repository ships. Each run has a time
// limit and an output limit; a run still going when its session ends, or when the wrapper exits, is
// killed then and its git directory removed, so that nothing waits on it or is left behind.

export interface IsolatedRepository {
  /** The repository's common git directory (objects, refs, packed-refs, shallow). */
  commonDir: string;
  objectFormat: 'sha1' | 'sha256';
  /** `core.*` settings copied from the repository's config (name without `core.`, value): checked to run nothing. */
  settings: ReadonlyArray<readonly [string, string]>;
  /** The commit HEAD points at; absent on a branch with no commit yet. */
  head?: string;
  /** Link the repository's refs and packed-refs, for a run that resolves ref names. */
  refs?: boolean;
  /** The work tree and its index, for a run that looks at files. */
  workTree?: { dir: string; index: string };
}

export interface GitRunOptions {
  /** Where git is looked up. */
  path: string | undefined;
  timeoutMs: number;
  /** Stop at the first byte of output: enough to know that there is some. */
  firstOutputOnly?: boolean;
  /** Stops the run (git is killed, its git directory removed) when aborted. */
  stop?: AbortSignal;
}

export type GitRun = { ok: true; stdout: string } | { ok: false };

const MAX_OUTPUT_BYTES = 64 * 1024;

/** Settings on the command line too: they win over any file, ours included. */
const HARDENING = [
  '-c',
  'core.fsmonitor=false',
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'core.untrackedCache=false',
  '-c',
  'protocol.allow=never',
  '-c',
  'core.sshCommand=false',
  '-c',
  'credential.helper=',
];

const live = new Set<{ kill: () => void }>();
let exitHookInstalled = false;

function killOnExit(entry: { kill: () => void }): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const each of live) each.kill();
    });
  }
  live.add(entry);
  return () => live.delete(entry);
}

/** Links `target` when it is of the kind git expects there; a FIFO or device is left out. */
function linkIf(kind: 'directory' | 'file', target: string, path: string): void {
  try {
    const info = statSync(target);
    if (kind === 'directory' ? info.isDirectory() : info.isFile()) symlinkSync(target, path);
  } catch {
    // A repository without it (no packed-refs, not shallow) needs no link.
  }
}

function makeGitDir(repo: IsolatedRepository): string {
  const dir = mkdtempSync(join(tmpdir(), 'claude-otel-git-'));
  const sha256 = repo.objectFormat === 'sha256';
  const config = ['[core]', `\trepositoryformatversion = ${sha256 ? 1 : 0}`, ...repo.settings.map(([name, value]) => `\t${name} = ${value}`)];
  if (sha256) config.push('[extensions]', '\tobjectformat = sha256');
  writeFileSync(join(dir, 'config'), `${config.join('\n')}\n`);
  // An unborn HEAD on a branch no ref file names: the index is compared with an empty tree.
  writeFileSync(join(dir, 'HEAD'), repo.head ? `${repo.head}\n` : 'ref: refs/heads/unborn\n');
  if (repo.refs) {
    linkIf('directory', join(repo.commonDir, 'refs'), join(dir, 'refs'));
    linkIf('file', join(repo.commonDir, 'packed-refs'), join(dir, 'packed-refs'));
  } else mkdirSync(join(dir, 'refs'));
  // A shallow clone's history ends at the commits this file names.
  linkIf('file', join(repo.commonDir, 'shallow'), join(dir, 'shallow'));
  return dir;
}

function environment(repo: IsolatedRepository, gitDir: string, path: string): Record<string, string> {
  const env: Record<string, string> = {
    GIT_DIR: gitDir,
    GIT_OBJECT_DIRECTORY: join(repo.commonDir, 'objects'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ATTR_NOSYSTEM: '1',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_NO_LAZY_FETCH: '1',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_TERMINAL_PROMPT: '0',
    HOME: gitDir,
    LC_ALL: 'C',
  };
  env.PATH = path;
  if (repo.workTree) {
    env.GIT_WORK_TREE = repo.workTree.dir;
    env.GIT_INDEX_FILE = repo.workTree.index;
  }
  return env;
}

/** Where git is looked up when the caller has no PATH: the system's own directories. */
const DEFAULT_PATH = ['/usr/local/bin', '/usr/bin', '/bin'].join(delimiter);

/** The absolute directories of `path`, in order. */
export function absolutePath(path: string | undefined): string {
  return (path ?? DEFAULT_PATH)
    .split(delimiter)
    .filter((dir) => dir !== '' && isAbsolute(dir))
    .join(delimiter);
}

/** git's executable in the first of `path`'s directories that has one. */
function gitExecutable(path: string): string | undefined {
  for (const dir of path.split(delimiter)) {
    const file = join(dir, 'git');
    try {
      if (!statSync(file).isFile()) continue;
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function runIsolatedGit(repo: IsolatedRepository, args: string[], options: GitRunOptions): Promise<GitRun> {
  return new Promise((resolve) => {
    let gitDir: string | undefined;
    let child: ChildProcessByStdio<null, Readable, null> | undefined;
    let settled = false;
    const cleanup = () => {
      child?.kill('SIGKILL');
      if (gitDir) rmSync(gitDir, { recursive: true, force: true });
      gitDir = undefined;
    };
    const forget = killOnExit({ kill: cleanup });
    const stopped = () => finish({ ok: false });
    const finish = (result: GitRun): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.stop?.removeEventListener('abort', stopped);
      forget();
      cleanup();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ ok: false }), options.timeoutMs);
    timer.unref();
    if (options.stop?.aborted) {
      finish({ ok: false });
      return;
    }
    options.stop?.addEventListener('abort', stopped, { once: true });
    const path = absolutePath(options.path);
    const git = gitExecutable(path);
    if (git === undefined) {
      finish({ ok: false });
      return;
    }
    try {
      gitDir = makeGitDir(repo);
      child = spawn(git, ['--no-optional-locks', ...HARDENING, ...args], {
        cwd: repo.workTree?.dir ?? gitDir,
        env: environment(repo, gitDir, path),
        stdio: ['ignore', 'pipe', 'ignore'],
        windowsHide: true,
      });
    } catch {
      finish({ ok: false });
      return;
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      bytes += chunk.length;
      if (options.firstOutputOnly) finish({ ok: true, stdout: Buffer.concat(chunks).toString('utf8') });
      else if (bytes > MAX_OUTPUT_BYTES) finish({ ok: false });
    });
    child.on('error', () => finish({ ok: false }));
    child.on('close', (code) => finish(code === 0 ? { ok: true, stdout: Buffer.concat(chunks).toString('utf8') } : { ok: false }));
  });
}
