import type { ParsedLine } from '../sources/stream-json/messages.ts';
import { subagentCalls } from '../sources/transcript/subagent-usage.ts';
import { StreamSessionReader } from '../session/from-stream.ts';
import type { StreamReaderOptions } from '../session/from-stream.ts';
import type { SessionEvent } from '../session/events.ts';
import type { DebugLog } from '../debug-log.ts';
import { QueuedRuntime } from './queued-runtime.ts';
import type { SessionSink } from './queued-runtime.ts';
import { SubagentUsageHold, withoutTranscript } from './subagent-usage-hold.ts';
import type { ReadSubagentCalls } from './subagent-usage-hold.ts';

// What claude's stream-json lines mean for the session: each line becomes session events, which
// go to the telemetry (loading while claude starts: events wait in a queue until it is there).
// A subagent's calls wait for their exact usage and stop reason from its transcript, when claude writes one.

export interface LineRecordingOptions {
  debugLog: DebugLog;
  loadSink: () => Promise<SessionSink>;
  /** The reader's options, asked for when claude's first line arrives (the prompt may come from stdin until then). */
  readerOptions: () => StreamReaderOptions;
  /** Where claude writes its transcripts; undefined when it writes none (--no-session-persistence). */
  claudeConfigDir: string | undefined;
  /** Called with each event once it has gone to the telemetry. */
  delivered?: (event: SessionEvent, telemetry: QueuedRuntime) => void;
}

export class LineRecording {
  readonly telemetry: QueuedRuntime;
  sessionId: string | undefined;
  /** claude's result message, as it printed it. */
  result: Record<string, unknown> | undefined;
  private reader: StreamSessionReader | undefined;
  private readonly hold: SubagentUsageHold | undefined;

  constructor(private readonly options: LineRecordingOptions) {
    this.telemetry = new QueuedRuntime(options.loadSink(), options.debugLog);
    const configDir = options.claudeConfigDir;
    this.hold = configDir === undefined ? undefined : new SubagentUsageHold((event) => this.deliver(event), this.transcriptCalls(configDir));
  }

  /** The session's reader: made once, when claude's first line arrives (or an SDK caller's first message). */
  get sessionReader(): StreamSessionReader {
    this.reader ??= new StreamSessionReader(this.options.readerOptions());
    return this.reader;
  }

  /** One line of claude's output, `arrivedAt` the time its chunk came. */
  record(parsed: ParsedLine | undefined, line: string, arrivedAt: number): void {
    if (parsed === undefined) {
      if (line.length > 0) this.options.debugLog.log('debug', 'skipped a line that is not stream-json', { length: Buffer.byteLength(line) });
      return;
    }
    if (parsed.message.type === 'init') this.sessionId = parsed.message.sessionId;
    if (parsed.message.type === 'result') this.result = parsed.value;
    this.emit(this.sessionReader.push(parsed.message, arrivedAt));
  }

  /** claude has exited: the session's last events. */
  close(end: Parameters<StreamSessionReader['finish']>[0]): void {
    this.emit(this.sessionReader.finish(end));
    this.hold?.finish();
  }

  private emit(events: SessionEvent[]): void {
    for (const event of events) {
      if (this.hold) this.hold.push(event);
      else this.deliver(withoutTranscript(event));
    }
  }

  private deliver(event: SessionEvent): void {
    this.telemetry.handle(event);
    this.options.delivered?.(event, this.telemetry);
  }

  private transcriptCalls(configDir: string): ReadSubagentCalls {
    return () => {
      const id = this.sessionId;
      if (!id) return new Map();
      try {
        return subagentCalls(configDir, id);
      } catch (error) {
        this.options.debugLog.log('warn', 'could not read subagent transcripts', { error: String(error) });
        return new Map();
      }
    };
  }
}
