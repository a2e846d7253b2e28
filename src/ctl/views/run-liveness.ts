import type { SessionRecord } from './session-record.ts';

// Whether a session that has not ended is still running: the wrapper that records it names
// its process id in the run id (`<time>-<pid>-<hex>`), and that process is still there. A
// session whose wrapper was killed stays unfinished. (A process id the system has since given
// to another process reads as running until that one ends.)

export function isRunning(record: Pick<SessionRecord, 'ended' | 'runId'>): boolean {
  if (record.ended) return false;
  const pid = Number(/^\d{8}T\d{6}Z-(\d+)-[0-9a-f]+$/.exec(record.runId)?.[1]);
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process is there, it belongs to someone else.
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}
