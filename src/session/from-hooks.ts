import type { HookPayload } from '../sources/hooks/hook-payloads.ts';
import type { TranscriptToolResult } from '../sources/transcript/transcript-lines.ts';
import type { TranscriptApiError, TranscriptCall, TranscriptUpdate } from '../sources/transcript/transcript-reader.ts';
import type { AgentRef, SessionEvent, SessionResult, ToolOutcome } from './events.ts';
import { toolOutcome, unfinishedToolOutcome } from './tool-outcome.ts';
import { hookToolOutcome, type ToolEndHook } from './hook-tool-outcome.ts';
import { PermissionWaits } from './permission-waits.ts';
import { HookSubagents } from './hook-subagents.ts';
import { resumedFrom, type ResumeArgs } from '../launch/resume-args.ts';

export { hookToolOutcome };

// Turns interactive mode's hook payloads and transcript into session events, the same
// events print mode gets from stream-json. Hooks say when prompts, tools and subagents
// start and end (a hook's time is when it fired); the transcript holds the model calls
// with their exact usage and the tool results as the model saw them.

export interface HookReaderOptions {
  /** When the wrapper started claude: the first session begins here. */
  startTime: number;
  /** Claude Code's version, as far as the wrapper can tell before claude reports it. */
  version: string;
  /** What claude's arguments say about an earlier session this run continues. */
  resume?: ResumeArgs;
}

export interface SessionExit {
  time: number;
  exitCode: number;
  signal?: string;
  interrupted: boolean;
}

export interface SpooledHook {
  payload: HookPayload;
  time: number;
}

interface OpenPrompt {
  start: number;
  /** The last thing seen happen in this prompt: where an interrupted prompt ends. */
  lastActivity: number;
  permissionDenials: number;
  interrupted: boolean;
}

interface OpenTool {
  name: string;
  input: Record<string, unknown>;
  agent: AgentRef;
}

interface PendingToolEnd {
  hook: ToolEndHook;
  time: number;
}

/** How long a tool's end waits for its result to reach the transcript (for output sizes). */
const RESULT_WAIT_MS = 2_000;

export class HookSessionReader {
  private session: { id: string; since: number } | undefined;
  private sessionCount = 0;
  /** When SessionEnd fired for the current session; it ends there if another session follows. */
  private sessionEndTime: number | undefined;
  private prompt: OpenPrompt | undefined;
  private readonly tools = new Map<string, OpenTool>();
  private readonly pendingEnds = new Map<string, PendingToolEnd>();
  private readonly subagents = new HookSubagents();
  /** A session whose SessionStart names no model (after /clear) keeps the last one's. */
  private model = 'unknown';
  private readonly calls = new Map<string, TranscriptCall>();
  private readonly emittedCalls = new Set<string>();
  private readonly results = new Map<string, TranscriptToolResult>();
  private apiErrors: TranscriptApiError[] = [];
  private readonly permissions = new PermissionWaits();

  constructor(private readonly options: HookReaderOptions) {}

  /** Takes in what the transcripts gained; returns its compactions, and tool ends that were waiting for their results. */
  pushTranscript(update: TranscriptUpdate): SessionEvent[] {
    const since = this.session?.since ?? this.options.startTime;
    for (const info of update.subagents) this.subagents.learn(info);
    for (const call of update.calls) {
      // A resumed session's transcript starts with the earlier runs' calls.
      if (call.firstSeen < since || this.emittedCalls.has(call.messageId)) continue;
      this.calls.set(call.messageId, call);
      this.activity(call.end);
    }
    for (const result of update.toolResults) {
      if (result.time < since) continue;
      this.results.set(result.toolUseId, result);
      this.activity(result.time);
    }
    for (const error of update.apiErrors) if (error.time >= since) this.apiErrors.push(error);
    for (const time of update.interrupts) {
      if (this.prompt && time >= this.prompt.start) {
        this.prompt.interrupted = true;
        this.activity(time);
      }
    }
    const out: SessionEvent[] = [];
    for (const compaction of update.compactions) if (compaction.time >= since) out.push({ kind: 'compaction', ...compaction });
    for (const [toolUseId, pending] of this.pendingEnds) {
      if (this.results.has(toolUseId)) this.endTool(out, toolUseId, pending);
    }
    return out;
  }

  /**
   * Whether the transcript already holds what a Stop or StopFailure closes: the turn's
   * final answer, or its API error. claude writes the transcript a moment after the hook.
   */
  readyToClose(payload: HookPayload): boolean {
    const prompt = this.prompt;
    if (!prompt) return true;
    if (payload.event === 'StopFailure') return this.apiErrors.some((e) => e.agentId === null && e.time >= prompt.start);
    if (payload.event !== 'Stop') return true;
    for (const call of this.calls.values()) {
      if (call.agentId === null && call.firstSeen >= prompt.start && call.stopReason !== undefined && call.stopReason !== 'tool_use') return true;
    }
    return false;
  }

  push(hook: SpooledHook): SessionEvent[] {
    const { payload, time } = hook;
    const out: SessionEvent[] = [];
    this.endOverdueTools(out, time);
    if (payload.event === 'SessionStart') {
      this.onSessionStart(out, payload, time);
      return out;
    }
    if (payload.event === 'SessionEnd') {
      if (this.session && payload.sessionId !== this.session.id) return out;
      this.startSession(out, payload, time);
      this.sessionEndTime = time;
      this.closePrompt(out, time, time);
      return out;
    }
    this.startSession(out, payload, time);
    // A new prompt is no activity of the one it interrupts.
    if (payload.event !== 'UserPromptSubmit') this.activity(time);

    switch (payload.event) {
      case 'UserPromptSubmit':
        this.closePrompt(out, time);
        this.startPrompt(out, time, payload.prompt);
        break;
      case 'PreToolUse':
        // A subagent's tool is no turn of the user's: a background agent works on after its turn's Stop.
        if (payload.agentId === undefined) this.startPrompt(out, time);
        this.startTool(out, payload.toolUseId, payload.toolName, payload.toolInput, this.agentRef(payload.agentId), time);
        break;
      case 'PostToolUse':
      case 'PostToolUseFailure':
        if (payload.agentId === undefined) this.startPrompt(out, time);
        if (!this.tools.has(payload.toolUseId)) {
          // Its PreToolUse was lost: the tool started its duration before this.
          this.startTool(out, payload.toolUseId, payload.toolName, payload.toolInput, this.agentRef(payload.agentId), time - (payload.durationMs ?? 0));
        }
        this.pendingEnds.set(payload.toolUseId, { hook: payload, time });
        if (this.results.has(payload.toolUseId)) this.endTool(out, payload.toolUseId, { hook: payload, time });
        break;
      case 'SubagentStart':
        this.subagents.start(out, payload.agentId, payload.agentType, time, this.tools);
        break;
      case 'PermissionRequest':
        this.permissions.ask(payload.toolName, payload.toolInput, time, this.tools);
        break;
      case 'SubagentStop':
        this.subagents.stopped(out, payload.agentId, time);
        break;
      case 'Stop':
        this.startPromptForCalls(out);
        this.closePrompt(out, time, time, this.promptResult(false, payload.lastAssistantMessage), payload.lastAssistantMessage);
        break;
      case 'StopFailure': {
        const prompt = this.prompt;
        const apiError = prompt ? [...this.apiErrors].reverse().find((e) => e.agentId === null && e.time >= prompt.start) : undefined;
        const message = payload.lastAssistantMessage ?? apiError?.message ?? payload.error;
        const event: SessionEvent = { kind: 'api_error', time, message, final: true };
        if (apiError?.status !== undefined) event.status = apiError.status;
        this.startPrompt(out, time);
        out.push(event);
        const result = this.promptResult(true, message);
        if (apiError?.status !== undefined) result.apiErrorStatus = apiError.status;
        this.closePrompt(out, time, time, result, message);
        break;
      }
    }
    return out;
  }

  /** Closes whatever is still open when claude has exited. */
  finish(exit: SessionExit): SessionEvent[] {
    const out: SessionEvent[] = [];
    if (!this.session) this.emitSessionStart(out, '', 'unknown', '', this.options.startTime);
    this.closePrompt(out, exit.time, exit.time);
    this.endSession(out, exit.time, exit);
    return out;
  }

  private onSessionStart(out: SessionEvent[], payload: Extract<HookPayload, { event: 'SessionStart' }>, time: number): void {
    // /clear, or another session resumed inside the same process: a new session, a new trace.
    if (this.session && (payload.sessionId !== this.session.id || payload.source === 'clear')) {
      const end = this.sessionEndTime ?? time;
      this.closePrompt(out, end, end);
      this.endSession(out, end, { time: end, exitCode: 0, interrupted: false });
    }
    if (payload.model) this.model = payload.model;
    if (!this.session) this.emitSessionStart(out, payload.sessionId, this.model, payload.cwd, time, payload.source === 'resume');
  }

  private startSession(out: SessionEvent[], payload: HookPayload, time: number): void {
    if (!this.session) this.emitSessionStart(out, payload.sessionId, this.model, payload.cwd, time);
  }

  private emitSessionStart(out: SessionEvent[], sessionId: string, model: string, cwd: string, time: number, resumed = false): void {
    const first = this.sessionCount === 0;
    this.sessionCount += 1;
    this.session = { id: sessionId, since: time };
    this.sessionEndTime = undefined;
    const event: SessionEvent = {
      kind: 'session_start',
      time: first ? Math.min(this.options.startTime, time) : time,
      sessionId,
      model,
      version: this.options.version,
      cwd,
      mode: 'interactive',
    };
    // The first session resumes what claude's arguments say; a later one only when /resume
    // started it (SessionStart source "resume"), not /clear.
    const from = first ? resumedFrom(this.options.resume, sessionId) : resumed && sessionId ? sessionId : undefined;
    if (from !== undefined) event.resumedFrom = from;
    out.push(event);
  }

  private endSession(out: SessionEvent[], time: number, exit: SessionExit): void {
    // What background agents left when no turn is open: their calls, their tools still running.
    this.emitCalls(out, (c) => c.agentId !== null && this.subagents.toolOf(c.agentId) !== undefined, this.session?.since ?? time);
    for (const [toolUseId, pending] of this.pendingEnds) this.endTool(out, toolUseId, pending);
    for (const toolUseId of [...this.tools.keys()]) this.endUnfinishedTool(out, toolUseId, undefined, time);
    this.subagents.endAll(out, time);
    const event: SessionEvent = { kind: 'session_end', time, exitCode: exit.exitCode, interrupted: exit.interrupted };
    if (exit.signal) event.signal = exit.signal;
    out.push(event);
    this.session = undefined;
    this.tools.clear();
    this.pendingEnds.clear();
    this.results.clear();
    this.apiErrors = [];
    this.permissions.clear();
    for (const id of this.calls.keys()) this.emittedCalls.add(id);
    this.calls.clear();
  }

  private startPrompt(out: SessionEvent[], time: number, text?: string): void {
    if (this.prompt) return;
    this.prompt = { start: time, lastActivity: time, permissionDenials: 0, interrupted: false };
    const event: SessionEvent = { kind: 'prompt_start', time };
    if (text !== undefined) {
      event.text = text;
      event.promptLength = text.length;
    }
    out.push(event);
  }

  /** A turn whose UserPromptSubmit was lost still gets a prompt, from its first model call. */
  private startPromptForCalls(out: SessionEvent[]): void {
    if (this.prompt) return;
    let first: number | undefined;
    for (const call of this.calls.values()) first = Math.min(first ?? call.start, call.start);
    if (first !== undefined) this.startPrompt(out, first);
  }

  private promptResult(isError: boolean, text: string | undefined): SessionResult {
    const result: SessionResult = { subtype: 'success', isError, permissionDenials: this.prompt?.permissionDenials ?? 0, costByModel: {} };
    if (text !== undefined) result.text = text;
    return result;
  }

  /**
   * Ends the open prompt: its model calls (those that began by `until`), its tool calls,
   * then the prompt itself, at `end` or, for a prompt nobody closed, at its last activity.
   */
  private closePrompt(out: SessionEvent[], until: number, end?: number, result?: SessionResult, responseText?: string): void {
    const prompt = this.prompt;
    if (!prompt) return;
    this.emitCalls(out, (c) => c.firstSeen <= until, prompt.start);
    for (const [toolUseId, pending] of this.pendingEnds) this.endTool(out, toolUseId, pending);
    for (const [toolUseId, tool] of [...this.tools]) {
      // A background agent's tool call still running ends with its own hook, not with the turn.
      if (tool.agent !== null && this.subagents.isRunning(tool.agent)) continue;
      this.endUnfinishedTool(out, toolUseId, prompt, until);
    }
    const endTime = end ?? Math.min(until, prompt.lastActivity);
    const event: SessionEvent = { kind: 'prompt_end', time: Math.max(endTime, prompt.start) };
    if (result) event.result = result;
    if (responseText !== undefined) event.responseText = responseText;
    out.push(event);
    this.prompt = undefined;
  }

  /**
   * Emits the waiting model calls that `include` picks, in order. The main agent's start no
   * earlier than its prompt (`promptStart`); a subagent's no earlier than the subagent, not
   * its turn: a background agent's calls can be written while a later turn runs.
   */
  private emitCalls(out: SessionEvent[], include: (call: TranscriptCall) => boolean, promptStart: number): void {
    const calls = [...this.calls.values()].filter(include).sort((a, b) => a.firstSeen - b.firstSeen);
    for (const call of calls) {
      this.calls.delete(call.messageId);
      this.emittedCalls.add(call.messageId);
      const agent = call.agentId === null ? null : (this.subagents.toolOf(call.agentId) ?? null);
      const start = Math.max(call.start, agent === null ? promptStart : (this.subagents.startOf(agent) ?? promptStart));
      out.push({
        kind: 'chat',
        start,
        end: Math.max(call.end, start),
        messageId: call.messageId,
        model: call.model,
        usage: { ...call.usage },
        ...(call.stopReason !== undefined ? { finishReason: call.stopReason } : {}),
        agent,
        text: call.text,
        ...(call.content ? { content: call.content } : {}),
      });
    }
  }

  private activity(time: number): void {
    if (this.prompt && time > this.prompt.lastActivity) this.prompt.lastActivity = time;
  }

  private agentRef(agentId: string | undefined): AgentRef {
    if (agentId === undefined) return null;
    return this.subagents.toolOf(agentId) ?? null;
  }

  private startTool(out: SessionEvent[], toolUseId: string, name: string, input: Record<string, unknown>, agent: AgentRef, time: number): void {
    this.tools.set(toolUseId, { name, input, agent });
    out.push({ kind: 'tool_start', time, toolUseId, name, input, agent });
  }

  private endTool(out: SessionEvent[], toolUseId: string, pending: PendingToolEnd): void {
    this.pendingEnds.delete(toolUseId);
    const tool = this.tools.get(toolUseId);
    if (!tool) return;
    this.tools.delete(toolUseId);
    const result = this.results.get(toolUseId);
    this.results.delete(toolUseId);
    const outcome = hookToolOutcome(pending.hook, result);
    const wait = this.permissions.waitOf(toolUseId, pending.time, pending.hook.durationMs);
    if (wait !== undefined) outcome.permissionWaitMs = wait;
    if (outcome.permissionDenied && this.prompt) this.prompt.permissionDenials += 1;
    out.push({ kind: 'tool_end', time: pending.time, toolUseId, outcome, ...(result ? { result: result.content } : {}) });
    this.subagents.toolEnded(out, toolUseId, pending.time, pending.hook.event === 'PostToolUse' ? pending.hook.toolResponse : undefined, false);
  }

  /** A tool call no PostToolUse hook reported: interrupted, denied, or claude went away. */
  private endUnfinishedTool(out: SessionEvent[], toolUseId: string, prompt: OpenPrompt | undefined, time: number): void {
    const tool = this.tools.get(toolUseId);
    if (!tool) return;
    this.tools.delete(toolUseId);
    const result = this.results.get(toolUseId);
    this.results.delete(toolUseId);
    let outcome: ToolOutcome;
    if (result) {
      outcome = toolOutcome({ toolName: tool.name, content: result.content, isError: result.isError, toolUseResult: result.toolUseResult });
      if (prompt?.interrupted && outcome.isError) Object.assign(outcome, { interrupted: true, permissionDenied: false });
    } else {
      outcome = unfinishedToolOutcome();
    }
    if (outcome.permissionDenied && prompt) prompt.permissionDenials += 1;
    const end = result ? Math.min(result.time, time) : time;
    const wait = this.permissions.waitOf(toolUseId, end);
    if (wait !== undefined) outcome.permissionWaitMs = wait;
    out.push({ kind: 'tool_end', time: end, toolUseId, outcome, ...(result ? { result: result.content } : {}) });
    this.subagents.toolEnded(out, toolUseId, time, undefined, true);
  }

  /** Tool ends whose results never reached the transcript go out with what the hook said. */
  private endOverdueTools(out: SessionEvent[], now: number): void {
    for (const [toolUseId, pending] of this.pendingEnds) {
      if (now - pending.time >= RESULT_WAIT_MS) this.endTool(out, toolUseId, pending);
    }
  }
}
