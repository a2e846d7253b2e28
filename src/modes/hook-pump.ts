import type { HookSpool } from '../sources/hooks/hook-spool.ts';
import type { HookSessionReader } from '../session/from-hooks.ts';
import type { SessionEvent } from '../session/events.ts';
import { TranscriptReader } from '../sources/transcript/transcript-reader.ts';
import type { DebugLog } from '../debug-log.ts';

// Moves an interactive run's hook payloads, in the order they fired, and its transcripts
// into the session reader, one batch at a time: a batch never overlaps the next, so the
// events keep their order even when a Stop has to wait for the transcript to catch up.

/** The longest a Stop waits for the turn's last model call to reach the transcript. */
const CLOSE_WAIT_MS = 1_000;
const CLOSE_POLL_MS = 25;

export class HookPump {
  private running: Promise<void> | undefined;
  private again = false;
  private finalizing = false;
  private readonly transcripts = new Map<string, TranscriptReader>();

  constructor(
    private readonly spool: HookSpool,
    private readonly reader: HookSessionReader,
    private readonly emit: (events: SessionEvent[]) => void,
    private readonly debugLog: DebugLog,
    /** Keep what each model call was sent and answered (CLAUDE_OTEL_LOG_CONTENT=on). */
    private readonly captureContent = false,
  ) {}

  /** Something may have arrived: read it (now, or right after the batch under way). */
  kick(): void {
    if (this.finalizing) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** claude has exited: reads what is left, without waiting for anything more to be written. */
  async final(): Promise<void> {
    this.finalizing = true;
    while (this.running) await this.running;
    await this.step(true);
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      await this.step(false);
    } while (this.again && !this.finalizing);
  }

  private async step(final: boolean): Promise<void> {
    try {
      const { payloads, dropped } = this.spool.drain(final);
      if (dropped > 0) this.debugLog.log('warn', 'dropped hook payloads that were incomplete or unknown', { dropped });
      for (const hook of payloads) {
        const { payload } = hook;
        if (payload.transcriptPath && !this.transcripts.has(payload.transcriptPath)) {
          this.transcripts.set(payload.transcriptPath, new TranscriptReader(payload.transcriptPath, this.captureContent));
        }
        this.pollTranscripts();
        if (payload.event === 'Stop' || payload.event === 'StopFailure') {
          const deadline = Date.now() + CLOSE_WAIT_MS;
          while (!this.finalizing && !this.reader.readyToClose(payload) && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, CLOSE_POLL_MS));
            this.pollTranscripts();
          }
        }
        this.emit(this.reader.push(hook));
      }
      this.pollTranscripts();
    } catch (error) {
      this.debugLog.log('error', 'could not read the hooks or the transcript', {
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
    }
  }

  private pollTranscripts(): void {
    for (const transcript of this.transcripts.values()) this.emit(this.reader.pushTranscript(transcript.poll()));
  }
}
