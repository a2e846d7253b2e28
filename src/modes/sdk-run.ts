import { resumeArgs } from '../launch/resume-args.ts';
import type { ClaudeProcess } from '../launch/spawn-claude.ts';
import { SdkInputReader } from '../sources/stream-json/sdk-input.ts';
import type { StreamSessionReader } from '../session/from-stream.ts';
import { StdinTee } from './stdin-tee.ts';
import type { StreamMode, StreamRunOptions } from './stream-run-options.ts';

// SDK mode (`--input-format stream-json`, how the Agent SDK starts claude): stdin carries the
// caller's messages. They pass to claude unchanged and are read on the way (prompts, permission
// answers); each prompt is stored and sent once it is over, while claude waits for the next.

/** The caller stops waiting 2 s after the query; the flush budget and this grace stay well inside that. */
export const SDK_LOAD_GRACE_MS = 500;
/** A finished prompt's spans leave while claude waits for the next message; nobody waits for them. */
const BACKGROUND_FLUSH_MS = 10_000;

export function sdkMode(options: StreamRunOptions, claude: ClaudeProcess, reader: () => StreamSessionReader): StreamMode {
  const input = new SdkInputReader((message, time) => {
    if (message.type === 'user') reader().caller.userMessage(message.text, time);
    else if (message.type === 'permission_answer') reader().caller.permissionAnswered(message.requestId, time, message.denied);
  });
  let tee: StdinTee | undefined;
  if (options.stdin.kind === 'tee' && claude.stdin) tee = new StdinTee(options.stdin.from, claude.stdin, input);
  if (options.stdin.kind === 'data' && claude.stdin) {
    input.push(Buffer.from(options.stdin.data));
    input.end();
    claude.stdin.on('error', () => {});
    claude.stdin.end(options.stdin.data);
  }
  const resume = resumeArgs(options.claudeArgs);
  let running = true;
  return {
    readerOptions: () => ({ startTime: options.startTime, mode: 'sdk', captureContent: options.captureContent === true, ...(resume ? { resume } : {}) }),
    delivered: (event, telemetry) => {
      // After claude's exit the final flush takes everything.
      if (running && event.kind === 'prompt_end') telemetry.flushFinished(BACKGROUND_FLUSH_MS);
    },
    loadGraceMs: SDK_LOAD_GRACE_MS,
    claudeExited: () => {
      running = false;
      tee?.stop();
    },
  };
}
