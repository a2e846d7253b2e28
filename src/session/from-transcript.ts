import type { TranscriptLine, TranscriptToolResult, LineContext } from '../sources/transcript/transcript-lines.ts';
import { PendingContent } from '../sources/pending-content.ts';
import type { AgentRef, ChatContent, SessionEvent, SessionMode, TokenUsage, ToolOutcome } from './events.ts';
import { emptyUsage } from './events.ts';
import { mergeUsage } from '../sources/model-call.ts';
import { toolOutcome, unfinishedToolOutcome } from './tool-outcome.ts';
import { isJsonObject as isObject } from '../untrusted-json.ts';

// A session read afterwards from claude's transcript alone (`claude-otel-ctl import`): the same
// events the live readers make, with the transcript's own times. A transcript holds every run
// of a resumed session; each run becomes a session of its own, as the wrapper records it. A run
// ends where the process wrote its end marker (see transcript-lines.ts and endsProcess), or
// where the CLI version changes. What the transcript does not say (the exit status) is left out.

/** How the session's subagent transcripts are found: by the Agent/Task call that started each. */
export interface SubagentTranscripts {
  /** The subagent started by this tool call, when its transcript is there. */
  byToolUse(toolUseId: string): SubagentTranscript | undefined;
  /** The subagent of this id (an Agent call's result names it). */
  byAgentId(agentId: string): SubagentTranscript | undefined;
}

export interface SubagentTranscript {
  agentId: string;
  agentType?: string;
  description?: string;
  /** It ran beside the main agent (2.1.332 and later). */
  background: boolean;
  /** Hands each line of its transcript to `onLine`, in order. */
  read(onLine: (line: TranscriptLine) => void): void;
}

/** How many bytes claude before 2.1.332 appends to a transcript before it writes `last-prompt` again on the way. */
const RESAVED_EVERY_BYTES = 32 * 1024;

/** What the importer is told as a run starts; it returns where the run's events go, or undefined to pass over it. */
export interface RunStart {
  sessionId: string;
  /** `<session id>/<uuid of the run's first prompt line>`: the same on every import. */
  key: string;
  /** The run's first prompt. */
  time: number;
  /** Whether the run comes after another in the same transcript (a resume). */
  resumed: boolean;
  /** The working directory and git branch its first prompt names. */
  cwd?: string;
  gitBranch?: string;
}

export interface RunSink {
  handle(event: SessionEvent): void;
  /** The run is complete (all its events were handled). */
  end(): void;
}

export interface TranscriptSessionOptions {
  sessionId: string;
  subagents: SubagentTranscripts;
  /** Whether a process-end line ends a run only when it is `cost-state` (a CLI that writes those writes `last-prompt` after every turn). */
  writesCostState: boolean;
  captureContent: boolean;
  startRun: (run: RunStart) => RunSink | undefined;
}

const SUBAGENT_TOOLS = new Set(['Task', 'Agent']);

function modeOf(entrypoint: string | undefined): SessionMode {
  if (entrypoint === 'sdk-cli') return 'print';
  if (entrypoint?.startsWith('sdk-')) return 'sdk';
  // The terminal UI (`cli`) and the IDE and desktop apps.
  return 'interactive';
}

interface OpenCall {
  messageId: string;
  model: string;
  usage: TokenUsage;
  stopReason?: string;
  text: string;
  start: number;
  end: number;
  content?: ChatContent;
}

interface OpenTool {
  name: string;
  input: Record<string, unknown>;
  time: number;
}

/** Where one run's events go, and what it needs to know of the whole run. */
interface RunState {
  sink: RunSink | undefined;
  sessionId: string;
  context: LineContext;
  /** Held until the first model call names the model the session_start needs. */
  held: SessionEvent[] | undefined;
  model: string | undefined;
  start: number;
  resumed: boolean;
  lastTime: number;
  ended: boolean;
  prompt: { start: number; turnEnd?: number } | undefined;
}

/** One agent's stream of lines (the main agent's, or a subagent's): its calls and tools. */
class AgentStream {
  private call: OpenCall | undefined;
  private lastUserTime: number | undefined;
  readonly tools = new Map<string, OpenTool>();
  /** Subagents started by this agent's calls, whose end waits for the call's result. */
  private readonly foreground = new Map<string, SubagentTranscript>();
  private readonly started = new Set<string>();
  private readonly pending: PendingContent;

  constructor(
    private readonly reader: TranscriptSessionReader,
    readonly agent: AgentRef,
    captureContent: boolean,
  ) {
    this.pending = new PendingContent(captureContent);
  }

  line(line: TranscriptLine): void {
    switch (line.kind) {
      case 'assistant':
        this.assistant(line);
        break;
      case 'api_error':
        this.closeCall();
        this.reader.activity(line.time, this.agent === null);
        this.reader.emit({
          kind: 'api_error',
          time: line.time,
          message: line.message,
          final: true,
          ...(line.status !== undefined ? { status: line.status } : {}),
        });
        break;
      case 'user':
        this.closeCall();
        this.lastUserTime = line.time;
        if (line.text && !line.meta) this.pending.add('', { role: 'user', parts: [{ type: 'text', content: line.text }] });
        for (const result of line.toolResults) this.toolResult(result);
        if (line.toolResults.length > 0) {
          this.pending.add('', {
            role: 'tool',
            parts: line.toolResults.map((r) => ({ type: 'tool_call_response' as const, id: r.toolUseId, response: r.content })),
          });
          this.reader.activity(line.time, this.agent === null);
        }
        break;
      case 'system':
        if (line.compaction) {
          this.closeCall();
          this.reader.emit({ kind: 'compaction', time: line.time, ...line.compaction });
        }
        break;
      default:
        break;
    }
  }

  private assistant(line: Extract<TranscriptLine, { kind: 'assistant' }>): void {
    if (this.call && this.call.messageId !== line.messageId) this.closeCall();
    if (!this.call) {
      this.reader.modelSeen(line.model, line.time);
      this.call = {
        messageId: line.messageId,
        model: line.model,
        usage: emptyUsage(),
        text: '',
        start: Math.min(this.lastUserTime ?? line.time, line.time),
        end: line.time,
      };
      const input = this.pending.take('');
      if (input) this.call.content = { input, output: [] };
    }
    const call = this.call;
    mergeUsage(call.usage, line.usage);
    call.content?.output.push(...line.parts);
    if (line.stopReason !== undefined) call.stopReason = line.stopReason;
    call.text += line.text;
    call.end = Math.max(call.end, line.time);
    this.reader.activity(line.time, this.agent === null);
    for (const part of line.parts) {
      if (part.type !== 'tool_call' || this.tools.has(part.id)) continue;
      this.tools.set(part.id, { name: part.name, input: part.arguments, time: line.time });
      this.reader.emit({ kind: 'tool_start', time: line.time, toolUseId: part.id, name: part.name, input: part.arguments, agent: this.agent });
      if (SUBAGENT_TOOLS.has(part.name)) {
        const subagent = this.reader.subagents.byToolUse(part.id);
        if (subagent) this.runSubagent(part.id, subagent, part.arguments);
      }
    }
  }

  /** The call is complete once another line follows it. */
  closeCall(): void {
    const call = this.call;
    if (!call) return;
    this.call = undefined;
    const event: SessionEvent = {
      kind: 'chat',
      start: call.start,
      end: call.end,
      messageId: call.messageId,
      model: call.model,
      usage: call.usage,
      agent: this.agent,
      text: call.text,
    };
    if (call.stopReason !== undefined) event.finishReason = call.stopReason;
    if (call.content) event.content = call.content;
    this.reader.emit(event);
  }

  private toolResult(result: TranscriptToolResult): void {
    const tool = this.tools.get(result.toolUseId);
    if (!tool) return;
    this.tools.delete(result.toolUseId);
    if (SUBAGENT_TOOLS.has(tool.name) && !this.started.has(result.toolUseId)) {
      // No metadata named this call: its result names the agent.
      const agentId = isObject(result.toolUseResult) && typeof result.toolUseResult.agentId === 'string' ? result.toolUseResult.agentId : undefined;
      const subagent = agentId !== undefined ? this.reader.subagents.byAgentId(agentId) : undefined;
      if (subagent) this.runSubagent(result.toolUseId, subagent, tool.input);
    }
    const outcome = toolOutcome({ toolName: tool.name, content: result.content, isError: result.isError, toolUseResult: result.toolUseResult });
    this.reader.emit({ kind: 'tool_end', time: Math.max(result.time, tool.time), toolUseId: result.toolUseId, outcome, result: result.content });
    const subagent = this.foreground.get(result.toolUseId);
    if (subagent) {
      this.foreground.delete(result.toolUseId);
      this.reader.emit(subagentEnd(result.toolUseId, result.time, result.toolUseResult));
    }
  }

  /** A subagent's whole transcript, nested under the call that started it. */
  private runSubagent(toolUseId: string, subagent: SubagentTranscript, input: Record<string, unknown>): void {
    this.started.add(toolUseId);
    const stream = new AgentStream(this.reader, toolUseId, this.pending.enabled);
    let first: number | undefined;
    let last: number | undefined;
    subagent.read((line) => {
      if (line.kind === 'other' || line.kind === 'run_end') return;
      if (first === undefined) {
        first = line.time;
        const start: SessionEvent = {
          kind: 'subagent_start',
          time: line.time,
          toolUseId,
          agentType: subagent.agentType ?? (typeof input.subagent_type === 'string' ? input.subagent_type : 'general-purpose'),
          agentId: subagent.agentId,
        };
        const description = subagent.description ?? (typeof input.description === 'string' ? input.description : undefined);
        if (description !== undefined) start.description = description;
        if (subagent.background) start.background = true;
        this.reader.emit(start);
      }
      last = line.time;
      stream.line(line);
    });
    if (first === undefined || last === undefined) return;
    stream.closeCall();
    stream.endOpenTools(last);
    // A background agent ends with its own last line; a foreground one when its call returns.
    if (subagent.background) this.reader.emit({ kind: 'subagent_end', time: last, toolUseId, status: 'completed' });
    else this.foreground.set(toolUseId, subagent);
  }

  /** Tool calls no result answered: the turn was interrupted, or claude went away. */
  endOpenTools(time: number): void {
    this.closeCall();
    for (const [toolUseId, tool] of this.tools) {
      const outcome: ToolOutcome = unfinishedToolOutcome();
      this.reader.emit({ kind: 'tool_end', time: Math.max(time, tool.time), toolUseId, outcome });
      if (this.foreground.delete(toolUseId)) this.reader.emit({ kind: 'subagent_end', time: Math.max(time, tool.time), toolUseId, unfinished: true });
    }
    this.tools.clear();
  }
}

function subagentEnd(toolUseId: string, time: number, toolUseResult: unknown): SessionEvent {
  const event: Extract<SessionEvent, { kind: 'subagent_end' }> = { kind: 'subagent_end', time, toolUseId };
  if (isObject(toolUseResult)) {
    if (typeof toolUseResult.totalTokens === 'number') event.totalTokens = toolUseResult.totalTokens;
    if (typeof toolUseResult.totalToolUseCount === 'number') event.toolUses = toolUseResult.totalToolUseCount;
    if (typeof toolUseResult.totalDurationMs === 'number') event.durationMs = toolUseResult.totalDurationMs;
    if (typeof toolUseResult.status === 'string') event.status = toolUseResult.status;
  }
  return event;
}

export class TranscriptSessionReader {
  private run: RunState | undefined;
  private main: AgentStream;
  private runCount = 0;
  /** A process-end line was seen since the run's last prompt. */
  private processEnded = false;
  /** And it can be nothing else (see endsProcess): the transcript's last run is over, with no need to wait for it to be quiet. */
  private surelyEnded = false;
  /** The main agent's last line was an answer with no tool call in it (a print process ends after one). */
  private answered = false;
  /** Process-end lines since the last line of the conversation (local commands' echoes aside). */
  private endsInARow = 0;
  /** Lines that were not the conversation's, or could not be read. */
  skippedLines = 0;

  constructor(private readonly options: TranscriptSessionOptions) {
    this.main = new AgentStream(this, null, options.captureContent);
  }

  get subagents(): SubagentTranscripts {
    return this.options.subagents;
  }

  push(line: TranscriptLine): void {
    if (line.kind === 'other') return;
    if (line.kind === 'run_end') {
      if (this.endsProcess(line)) {
        this.processEnded = true;
        this.surelyEnded = line.marker === 'cost-state' || (line.writtenBefore ?? 0) < RESAVED_EVERY_BYTES || this.answered;
        this.endsInARow += 1;
      }
      return;
    }
    // Lines of another session (a forked session's copied history) or of a subagent written inline are not this run's.
    if (line.context.sessionId !== undefined && line.context.sessionId !== this.options.sessionId) return;
    if (this.processEnded && !this.options.writesCostState && this.wentOn(line)) this.processEnded = false;
    if (line.kind === 'assistant') this.answered = !line.parts.some((part) => part.type === 'tool_call');
    else if (line.kind === 'user' && (line.toolResults.length > 0 || this.isPrompt(line))) this.answered = false;
    // A local command's echo may come after its process's end line (/exit does).
    if (!(line.kind === 'user' && line.meta)) this.endsInARow = 0;
    if (line.kind === 'user' && this.isPrompt(line)) {
      const run = this.run;
      const newVersion =
        run !== undefined && line.context.version !== undefined && run.context.version !== undefined && line.context.version !== run.context.version;
      if (!run || this.processEnded || newVersion) this.startRun(line);
      else this.startPrompt(line);
      return;
    }
    if (!this.run) return;
    if (line.kind === 'system' && line.subtype === 'turn_duration' && this.run.prompt) this.run.prompt.turnEnd = line.time;
    this.main.line(line);
  }

  /** The transcript is read to its end: the last run ends too. Whether its process wrote its end line. */
  finish(): boolean {
    const ended = this.processEnded && this.surelyEnded;
    this.endRun();
    return ended;
  }

  /**
   * Whether this marker was written as a process ended. Before 2.1.332, `last-prompt` is also
   * written by /rewind (`explicit`), as claude compacts, and after every 32 KiB it appends to
   * the file. One with fewer bytes before it is a process's end (a compaction's is told apart
   * by the model call after it, in push). One after more may be either: a print process answers
   * one prompt, so there it is taken for the end (for sure only once the model answered: at the
   * end of the file, one after a tool call may be written on the way by a process still
   * running); in a session that goes on from prompt to prompt (the terminal UI, the Agent SDK),
   * for one written on the way.
   */
  private endsProcess(line: Extract<TranscriptLine, { kind: 'run_end' }>): boolean {
    if (line.marker === 'cost-state') return true;
    if (this.options.writesCostState || line.explicit) return false;
    if ((line.writtenBefore ?? 0) < RESAVED_EVERY_BYTES) return true;
    return this.run !== undefined && modeOf(this.run.context.entrypoint) === 'print';
  }

  /**
   * Whether this line says that the process that wrote the last end line went on: the model
   * answered or a tool ran, or claude compacted right after it (as it compacts, 2.1.197 writes
   * `last-prompt` first; a second end line before it was a process's end, as a resumed session
   * compacted at once).
   */
  private wentOn(line: Exclude<TranscriptLine, { kind: 'other' | 'run_end' }>): boolean {
    if (line.kind === 'assistant' || (line.kind === 'user' && line.toolResults.length > 0)) return true;
    return line.kind === 'system' && line.compaction !== undefined && this.endsInARow === 1;
  }

  private isPrompt(line: Extract<TranscriptLine, { kind: 'user' }>): boolean {
    // A background agent's notification is the CLI's turn, not the person's: its calls open a prompt of their own.
    return line.toolResults.length === 0 && !line.meta && line.text !== '' && line.promptSource !== 'system';
  }

  private startRun(line: Extract<TranscriptLine, { kind: 'user' }>): void {
    this.endRun();
    const key = `${this.options.sessionId}/${line.context.uuid ?? String(line.time)}`;
    const resumed = this.runCount > 0;
    this.runCount += 1;
    const start: RunStart = { sessionId: this.options.sessionId, key, time: line.time, resumed };
    if (line.context.cwd !== undefined) start.cwd = line.context.cwd;
    if (line.context.gitBranch !== undefined) start.gitBranch = line.context.gitBranch;
    const sink = this.options.startRun(start);
    this.run = {
      sink,
      sessionId: this.options.sessionId,
      context: line.context,
      held: [],
      model: undefined,
      start: line.time,
      resumed,
      lastTime: line.time,
      ended: false,
      prompt: undefined,
    };
    this.processEnded = false;
    this.main = new AgentStream(this, null, this.options.captureContent);
    this.startPrompt(line);
  }

  private startPrompt(line: Extract<TranscriptLine, { kind: 'user' }>): void {
    this.endPrompt();
    const run = this.run;
    if (!run) return;
    run.prompt = { start: line.time };
    this.activity(line.time, true);
    this.emit({ kind: 'prompt_start', time: line.time, text: line.text, promptLength: line.text.length });
    this.main.line(line);
  }

  /** Something happened at `time` in the run (in the main agent's turn when `main`). */
  activity(time: number, main: boolean): void {
    const run = this.run;
    if (!run) return;
    run.lastTime = Math.max(run.lastTime, time);
    // A call or result of the main agent with no prompt open: the CLI's own turn (a background agent's notification).
    if (main && !run.prompt) {
      run.prompt = { start: time };
      this.emit({ kind: 'prompt_start', time });
    }
  }

  modelSeen(model: string, time: number): void {
    const run = this.run;
    if (!run || run.model !== undefined) return;
    run.model = model;
    this.release(run, time);
  }

  emit(event: SessionEvent): void {
    const run = this.run;
    if (!run?.sink) return;
    if (run.held) run.held.push(event);
    else run.sink.handle(event);
  }

  /** The session's start, once its model is known, then what waited for it. */
  private release(run: RunState, _time: number): void {
    const held = run.held;
    if (!held || !run.sink) {
      run.held = undefined;
      return;
    }
    run.held = undefined;
    const start: SessionEvent = {
      kind: 'session_start',
      time: run.start,
      sessionId: run.sessionId,
      model: run.model ?? 'unknown',
      version: run.context.version ?? 'unknown',
      cwd: run.context.cwd ?? '',
      mode: modeOf(run.context.entrypoint),
      source: 'transcript',
    };
    if (run.resumed) start.resumedFrom = run.sessionId;
    run.sink.handle(start);
    for (const event of held) run.sink.handle(event);
  }

  private endPrompt(): void {
    const run = this.run;
    if (!run?.prompt) return;
    const prompt = run.prompt;
    const end = Math.max(prompt.turnEnd ?? run.lastTime, prompt.start);
    this.main.endOpenTools(end);
    run.prompt = undefined;
    this.emit({ kind: 'prompt_end', time: end });
  }

  private endRun(): void {
    const run = this.run;
    if (!run || run.ended) return;
    this.endPrompt();
    this.main.closeCall();
    if (run.held) this.release(run, run.lastTime);
    run.ended = true;
    if (!run.sink) return;
    // No exit status: nobody saw claude exit. The git context is the importer's to add.
    run.sink.handle({ kind: 'session_end', time: run.lastTime, interrupted: false });
    run.sink.end();
  }
}
