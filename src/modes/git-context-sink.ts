import type { Attributes } from '@opentelemetry/api';
import type { GitContext, SessionEvent } from '../session/events.ts';
import type { DebugLog } from '../debug-log.ts';
import { GitSession } from '../workspace/git-session.ts';
import type { LiveSessionSink, SessionSink } from './queued-runtime.ts';
import type { Deadline } from '../deadline.ts';

// Adds the git context to a session. The work tree is read once claude's session has
// started (its session_start event): in the terminal UI claude only starts one after the user
// has trusted the folder, so a folder left at the trust dialog is never read. Its end waits (within the flush budget) until the end
// revision and the commits made are known, then goes on with them attached, so that the
// session span, the store's summary and the session metrics all see the same figures.

/** The share of the flush budget the git context may take; the export needs the rest. */
const GIT_SHARE_OF_BUDGET = 0.4;
const MAX_GIT_WAIT_MS = 2000;

export interface GitContextSinkOptions {
  git: GitSession;
  /** What CI detection put on the resource (its `vcs.*` are not repeated). */
  ciResource: Attributes;
  redact: (text: string) => string;
  debugLog: DebugLog;
  /**
   * Where to read when claude's session_start names no directory: print and SDK mode (no
   * trust dialog there) read the wrapper's working directory; the terminal UI reads nothing.
   */
  fallbackCwd?: string;
}

export class GitContextSink implements LiveSessionSink {
  private heldEnd: Extract<SessionEvent, { kind: 'session_end' }> | undefined;

  constructor(
    private readonly inner: SessionSink,
    private readonly options: GitContextSinkOptions,
  ) {}

  handle(event: SessionEvent): void {
    // A claude that ended without starting its session worked in no folder: nothing to read, and no git run at exit.
    if (event.kind === 'session_start' && !event.neverStarted) {
      const cwd = event.cwd || this.options.fallbackCwd;
      if (cwd) {
        this.options.git.begin(cwd);
        if (this.inner.gitKnown) void this.tellStartGit(this.inner.gitKnown.bind(this.inner));
      }
    }
    if (event.kind === 'session_end') {
      this.heldEnd = event;
      return;
    }
    this.inner.handle(event);
  }

  get traceId(): string | undefined {
    return this.inner.traceId;
  }

  flushFinished(deadline: Deadline): Promise<{ delivered: boolean; timedOut: boolean }> {
    return this.inner.flushFinished ? this.inner.flushFinished(deadline) : Promise.resolve({ delivered: false, timedOut: false });
  }

  /** The work tree as the session starts, for a store that shows running sessions; never throws. */
  private async tellStartGit(gitKnown: (git: GitContext) => void): Promise<void> {
    try {
      const git = await this.options.git.context(Date.now() + MAX_GIT_WAIT_MS, this.options.ciResource);
      if (!git) return;
      if (git.repositoryUrl) git.repositoryUrl = this.options.redact(git.repositoryUrl);
      // The end revision and commits belong to the end: at the start they say nothing.
      const { revisionEnd: _end, commits: _commits, ...atStart } = git;
      gitKnown(atStart);
    } catch (error) {
      this.options.debugLog.log('debug', 'could not read the git context at the start', { error: String(error) });
    }
  }

  async finish(deadline: Deadline, onStored?: () => void): Promise<void> {
    const started = Date.now();
    const end = this.heldEnd;
    this.heldEnd = undefined;
    if (end) {
      let event = end;
      try {
        const gitDeadline = started + Math.min(MAX_GIT_WAIT_MS, deadline.msLeft() * GIT_SHARE_OF_BUDGET);
        const git = await this.options.git.context(gitDeadline, this.options.ciResource);
        if (git) {
          if (git.repositoryUrl) git.repositoryUrl = this.options.redact(git.repositoryUrl);
          event = { ...end, git };
        }
        this.options.debugLog.log('debug', git ? 'read the git context' : 'no git work tree', { ms: Date.now() - started });
      } catch (error) {
        this.options.debugLog.log('warn', 'could not read the git context', { error: String(error) });
      }
      this.inner.handle(event);
    }
    // Read or given up on: no git run may outlast the session.
    this.options.git.end();
    await this.inner.finish(deadline, onStored);
  }
}

/** `inner` with the git context of the work tree its session starts in. */
export function withGitContext(inner: SessionSink, options: Omit<GitContextSinkOptions, 'git'> & { searchPath: string | undefined }): GitContextSink {
  const { searchPath, ...rest } = options;
  return new GitContextSink(inner, { ...rest, git: GitSession.create({ PATH: searchPath }) });
}
