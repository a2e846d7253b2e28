import type { PrintRun } from '../launch/session-kind.ts';
import { resumeArgs } from '../launch/resume-args.ts';
import type { ClaudeProcess } from '../launch/spawn-claude.ts';
import { StdinTee } from './stdin-tee.ts';
import type { StreamMode, StreamRunOptions } from './stream-run-options.ts';

// Print mode (`claude -p`): the prompt is an argument, or comes on stdin (from the terminal's
// pipe, passed on as it is read, or from runClaude()'s data); it is the session's one prompt.

/** How much longer than the flush budget a slow telemetry start may take, so the session is still stored. */
const LATE_LOAD_GRACE_MS = 3000;

export function printMode(options: StreamRunOptions, run: PrintRun, claude: ClaudeProcess): StreamMode {
  let tee: StdinTee | undefined;
  let promptFromData: string | undefined;
  if (options.stdin.kind === 'tee' && claude.stdin) tee = new StdinTee(options.stdin.from, claude.stdin, undefined);
  if (options.stdin.kind === 'data' && claude.stdin) {
    promptFromData = options.stdin.data.toString().replace(/\n$/, '');
    claude.stdin.on('error', () => {});
    claude.stdin.end(options.stdin.data);
  }
  const resume = resumeArgs(options.claudeArgs);
  return {
    readerOptions: () => {
      // What stdin held by the time claude's first line arrives.
      const prompt = [run.promptArg, promptFromData ?? tee?.text].filter((p): p is string => p !== undefined && p !== '').join('\n');
      return {
        startTime: options.startTime,
        captureContent: options.captureContent === true,
        ...(prompt ? { promptText: prompt } : {}),
        ...(resume ? { resume } : {}),
      };
    },
    loadGraceMs: LATE_LOAD_GRACE_MS,
    claudeExited: () => tee?.stop(),
  };
}
