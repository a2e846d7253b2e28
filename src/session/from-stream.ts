import type { StreamMessage, ResultMessage } from '../sources/stream-json/messages.ts';
import type { AgentRef, ConversationMessage, MessagePart, SessionEvent, SessionResult, TokenUsage } from './events.ts';
import { toolOutcome, contentText } from './tool-outcome.ts';
import { usageFrom } from './stream-usage.ts';
import { parseUsage, tokenUsage } from '../sources/stream-json/messages.ts';
import { baseModelName } from './model-name.ts';
import { PendingContent } from '../sources/pending-content.ts';
import { isSyntheticModel } from '../sources/model-call.ts';
import { TurnResults } from './turn-results.ts';
import { CallerInput } from './caller-input.ts';
import { apiRetryEvent, compactionEvent, unfinishedToolOutcome } from './line-events.ts';
import { SubagentRuns } from './subagent-runs.ts';
import type { CarriedTotals, ResumedSession } from '../sources/transcript/carried-totals.ts';
import { resumedFrom, type ResumeArgs } from '../launch/resume-args.ts';

// Turns the stream-json messages of print mode and SDK mode into session events. Times are
// the moments lines arrived, or the lines' own timestamps where the CLI writes them (2.1.332),
// corrected by the figures the CLI reports (time to first token). In SDK mode one process
// serves many user messages (read from stdin): each is a prompt of its own, ending at its own
// result. Background agents (2.1.332): their Agent call returns at once, their lines
// interleave with the main agent's, and they end with task_updated / task_notification;
// SendMessage can start another run of the same agent (same task id, a new task_started).
// A line's own timestamp is when claude made the message, which can be before the line that
// started its agent (or prompt) reached the wrapper: an agent's calls and tools start no
// earlier than the agent (the main agent's, than the prompt), so spans nest as they happened.

interface OpenChat {
  messageId: string;
  model: string;
  start: number;
  ttftMs?: number;
  usage: TokenUsage;
  finishReason?: string;
  text: string;
  /** True when no stream_event framed this call: it ends when another message arrives. */
  fromAssistantLines: boolean;
  /** With content recording: the messages new to this call, and its answer's parts. */
  input?: ConversationMessage[];
  output?: MessagePart[];
}

interface OpenTool {
  name: string;
  agent: AgentRef;
}

export interface StreamReaderOptions {
  /** When the wrapper started claude: the session (and in print mode the first prompt) begin here. */
  startTime: number;
  promptText?: string;
  /** Keep what each call was sent and answered (CLAUDE_OTEL_LOG_CONTENT=on). */
  captureContent?: boolean;
  /** 'sdk': prompts are the user messages given to `caller`. Default 'print'. */
  mode?: 'print' | 'sdk';
  /** What claude's arguments say about an earlier session this run continues. */
  resume?: ResumeArgs;
  /** What claude carried over to this run from the earlier runs of `sessionId` (read from its transcript). */
  carriedTotals?: (resumed: ResumedSession, cliVersion: string) => CarriedTotals | undefined;
}

export interface SessionExit {
  time: number;
  exitCode: number;
  signal?: string;
  interrupted: boolean;
}

const SUBAGENT_TOOLS = new Set(['Task', 'Agent']);

export class StreamSessionReader {
  private sessionStarted = false;
  private promptOpen = false;
  /** A background agent finished during the open prompt: claude may start a turn on its notification. */
  private agentDoneInPrompt = false;
  private promptCount = 0;
  private lastResponseText = '';
  private readonly chats = new Map<string, OpenChat>();
  private readonly tools = new Map<string, OpenTool>();
  private readonly subagents = new SubagentRuns();
  private readonly lastActivity = new Map<string, number>();
  /** When the open prompt started: the main agent's calls and tools start no earlier. */
  private promptStart = 0;
  /** Subagents whose last call seen so far asked for tools: their final answer is still to come. */
  private readonly awaitingFinalAnswer = new Set<string>();
  private readonly pendingInput: PendingContent;
  private readonly turnResults = new TurnResults();
  /** Turns over whose result claude has yet to write, oldest first, each with the events that came after it. */
  private readonly awaitingResult: AwaitingResult[] = [];
  /** SDK mode: what the caller writes to claude's stdin (user messages, permission answers). */
  readonly caller = new CallerInput();

  constructor(private readonly options: StreamReaderOptions) {
    this.pendingInput = new PendingContent(options.captureContent === true);
  }

  push(message: StreamMessage, time: number): SessionEvent[] {
    if (message.type === 'result' && this.awaitingResult.length > 0) return this.lateResult(message, time);
    const out = this.read(message, time);
    const last = this.awaitingResult.at(-1);
    if (!last) return out;
    // Held until the earlier turn's result has ended it: a turn's events follow the end of the one before.
    for (const event of out) last.after.push(event);
    return [];
  }

  private read(message: StreamMessage, time: number): SessionEvent[] {
    const out: SessionEvent[] = [];
    if (message.type === 'other') return out;
    if (message.type === 'permission_request') {
      this.caller.permissionAsked(message.requestId, message.toolUseId, time);
      return out;
    }
    if (message.type === 'init') {
      if (this.promptOpen && this.agentDoneInPrompt) this.resultHeldBack(out);
      if (!this.sessionStarted) this.carryOver(message.sessionId, message.version, message.cwd);
      this.startSession(out, time, message.sessionId, message.model, message.version, message.cwd, message.permissionMode);
      return out;
    }
    this.startSession(out, time);
    if (message.type !== 'result') this.startPrompt(out, time);

    switch (message.type) {
      case 'stream_event':
        this.onStreamEvent(out, message, time);
        break;
      case 'assistant':
        this.onAssistant(out, message, time);
        break;
      case 'user':
        this.onUser(out, message, time);
        break;
      case 'api_retry':
        out.push(apiRetryEvent(message, time));
        break;
      case 'task_started':
        out.push(this.subagents.start(message, time));
        break;
      case 'compact_boundary':
        out.push(compactionEvent(message, time));
        break;
      case 'task_updated':
        this.subagents.updated(message);
        break;
      case 'task_notification':
        // A background agent is done now; a foreground one when its tool call returns.
        if (this.subagents.notified(message)) {
          this.endBackgroundAgent(out, message.toolUseId, time);
          this.agentDoneInPrompt = true;
        }
        break;
      case 'result':
        this.onResult(out, message, time);
        break;
    }
    return out;
  }

  /**
   * claude starts a turn on a background agent's notification while the last one has had no
   * result (2.1.337): that one is over, and claude writes its result only once the new turn is
   * done too. It ends where the main agent stopped, when its result comes.
   */
  private resultHeldBack(out: SessionEvent[]): void {
    const end = this.lastActivity.get('') ?? this.promptStart;
    this.closeAgentChat(out, null, end, false);
    this.promptOpen = false;
    this.awaitingResult.push({ time: Math.max(end, this.promptStart), responseText: this.lastResponseText, after: [] });
  }

  /** The result of the oldest turn awaiting one: it ends that turn, and the events held after it follow. */
  private lateResult(message: ResultMessage, time: number): SessionEvent[] {
    const out: SessionEvent[] = [];
    const turn = this.awaitingResult.shift();
    if (!turn) return out;
    const result = this.turnResults.next(message);
    this.finalApiError(out, message, time);
    out.push({ kind: 'prompt_end', time: turn.time, responseText: result.text ?? turn.responseText, result });
    this.caller.turnEnded(time);
    for (const event of turn.after) out.push(event);
    return out;
  }

  /** Closes whatever is still open when claude has exited. */
  finish(exit: SessionExit): SessionEvent[] {
    const out: SessionEvent[] = [];
    // Turns whose result never came end without one, each followed by what came after it.
    for (let turn = this.awaitingResult.shift(); turn; turn = this.awaitingResult.shift()) {
      out.push({ kind: 'prompt_end', time: turn.time, responseText: turn.responseText });
      for (const event of turn.after) out.push(event);
    }
    const started = this.sessionStarted;
    this.startSession(out, exit.time);
    const first = out[0];
    if (!started && first?.kind === 'session_start') first.neverStarted = true;
    if (this.promptCount === 0) this.startPrompt(out, exit.time);
    this.closeAllChats(out, exit.time);
    for (const [toolUseId, tool] of this.tools) {
      const outcome = unfinishedToolOutcome();
      this.caller.settle(outcome, toolUseId, exit.time);
      out.push({ kind: 'tool_end', time: exit.time, toolUseId, outcome });
      if (SUBAGENT_TOOLS.has(tool.name)) this.endSubagent(out, toolUseId, exit.time);
    }
    this.tools.clear();
    // Background agents still working when claude exits end with the session, unfinished.
    for (const toolUseId of this.subagents.openBackground()) this.endBackgroundAgent(out, toolUseId, exit.time, true);
    // A prompt still open has had no result of its own (an earlier one belongs to an earlier prompt).
    if (this.promptOpen) this.endPrompt(out, exit.time, undefined);
    const end: SessionEvent = { kind: 'session_end', time: exit.time, exitCode: exit.exitCode, interrupted: exit.interrupted };
    const total = this.turnResults.sessionTotal;
    if (total) end.result = total;
    if (exit.signal) end.signal = exit.signal;
    out.push(end);
    return out;
  }

  /** A resumed session's results count from the earlier runs' totals: this run's figures are what it adds. */
  private carryOver(sessionId: string, version: string, cwd: string): void {
    const { resume, carriedTotals } = this.options;
    if (!resume || !carriedTotals) return;
    const earlier = resumedFrom(resume, sessionId);
    // --continue --fork-session: claude does not say which session it forked, the directory's latest.
    const resumed = earlier !== undefined ? { sessionId: earlier } : resume.continued && cwd ? { latestIn: cwd, except: sessionId } : undefined;
    if (!resumed) return;
    const totals = carriedTotals(resumed, version);
    if (totals) this.turnResults.carriedOver(totals);
  }

  private startSession(out: SessionEvent[], time: number, sessionId = '', model = 'unknown', version = 'unknown', cwd = '', permissionMode?: string): void {
    if (this.sessionStarted) return;
    this.sessionStarted = true;
    const event: SessionEvent = { kind: 'session_start', time: this.options.startTime, sessionId, model, version, cwd, mode: this.options.mode ?? 'print' };
    if (permissionMode !== undefined) event.permissionMode = permissionMode;
    const from = resumedFrom(this.options.resume, sessionId);
    if (from !== undefined) event.resumedFrom = from;
    out.push(event);
    this.lastActivity.set('', time);
  }

  private startPrompt(out: SessionEvent[], time: number): void {
    if (this.promptOpen) return;
    this.promptOpen = true;
    this.agentDoneInPrompt = false;
    this.promptCount += 1;
    const first = this.promptCount === 1;
    let event: PromptStart = { kind: 'prompt_start', time: first ? this.options.startTime : time };
    if (first && this.options.promptText !== undefined) event = withText(event, this.options.promptText);
    if (this.options.mode === 'sdk') {
      const prompt = this.caller.nextPrompt();
      event = prompt ? withText({ kind: 'prompt_start', time: Math.min(prompt.time, time) }, prompt.text) : { kind: 'prompt_start', time };
    }
    if (event.text !== undefined) this.pendingInput.add('', { role: 'user', parts: [{ type: 'text', content: event.text }] });
    this.promptStart = event.time;
    out.push(event);
    this.lastResponseText = '';
  }

  private endPrompt(out: SessionEvent[], time: number, result: SessionResult | undefined): void {
    this.promptOpen = false;
    const event: SessionEvent = { kind: 'prompt_end', time, responseText: result?.text ?? this.lastResponseText };
    if (result) event.result = result;
    out.push(event);
  }

  private agentKey(agent: AgentRef): string {
    return agent ?? '';
  }

  private onStreamEvent(out: SessionEvent[], message: Extract<StreamMessage, { type: 'stream_event' }>, time: number): void {
    const key = this.agentKey(message.parentToolUseId);
    if (message.event === 'message_start') {
      this.closeAgentChat(out, message.parentToolUseId, time, false);
      const start = message.ttftMs !== undefined ? Math.max(time - message.ttftMs, this.agentStart(key)) : this.callStart(key, time);
      const chat: OpenChat = {
        messageId: message.messageId ?? '',
        model: message.model ?? 'unknown',
        start,
        usage: { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 },
        text: '',
        fromAssistantLines: false,
      };
      if (message.ttftMs !== undefined) chat.ttftMs = message.ttftMs;
      usageFrom(message.usage, chat.usage);
      this.takeInput(key, chat);
      this.chats.set(key, chat);
      return;
    }
    const chat = this.chats.get(key);
    if (!chat) return;
    if (message.event === 'message_delta') {
      usageFrom(message.usage, chat.usage);
      if (message.stopReason !== undefined) chat.finishReason = message.stopReason;
    } else if (message.event === 'message_stop') {
      this.chats.delete(key);
      this.emitChat(out, chat, message.parentToolUseId, time);
    }
  }

  private endBackgroundAgent(out: SessionEvent[], toolUseId: string, time: number, unfinished = false): void {
    const end = this.subagents.endBackground(toolUseId, time, unfinished);
    if (!end) return;
    this.closeAgentChat(out, toolUseId, end.time, false);
    out.push(end);
  }

  private onAssistant(out: SessionEvent[], message: Extract<StreamMessage, { type: 'assistant' }>, arrived: number): void {
    const agent = this.subagents.agentOf(message);
    const time = message.timestamp ?? arrived;
    const key = this.agentKey(agent);
    let chat = this.chats.get(key);
    if (chat?.fromAssistantLines && chat.messageId !== message.messageId) {
      this.closeAgentChat(out, agent, time, true);
      chat = undefined;
    }
    if (isSyntheticModel(message.model)) {
      // No model call made it (an API error, an interruption): the text is what claude showed;
      // an error reaches the prompt and the session with the result.
      if (agent === null) this.lastResponseText = message.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
      return;
    }
    if (!chat) {
      // No stream_event framed this call: fall back to the assistant lines themselves.
      chat = {
        messageId: message.messageId,
        model: message.model,
        start: this.callStart(key, time),
        usage: { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 },
        text: '',
        fromAssistantLines: true,
      };
      this.takeInput(key, chat);
      this.chats.set(key, chat);
    }
    if (chat.fromAssistantLines) usageFrom(message.usage, chat.usage);
    if (!chat.messageId) chat.messageId = message.messageId;
    if (chat.model === 'unknown') chat.model = message.model;
    if (message.stopReason) chat.finishReason = message.stopReason;
    if (agent !== null && message.content.every((b) => b.type !== 'tool_use')) this.awaitingFinalAnswer.delete(agent);
    for (const block of message.content) {
      if (block.type === 'text') {
        chat.text += block.text;
        chat.output?.push({ type: 'text', content: block.text });
        if (agent === null) this.lastResponseText = block.text;
      } else if (block.type === 'tool_use') {
        chat.output?.push({ type: 'tool_call', id: block.id, name: block.name, arguments: block.input });
        // A subagent's first call is sent the task's prompt.
        if (SUBAGENT_TOOLS.has(block.name) && typeof block.input.prompt === 'string')
          this.pendingInput.add(block.id, { role: 'user', parts: [{ type: 'text', content: block.input.prompt }] });
        if (agent !== null) this.awaitingFinalAnswer.add(agent);
        this.tools.set(block.id, { name: block.name, agent });
        out.push({ kind: 'tool_start', time: Math.max(time, this.agentStart(key)), toolUseId: block.id, name: block.name, input: block.input, agent });
      }
    }
    if (chat.fromAssistantLines) this.lastActivity.set(key, time);
  }

  private onUser(out: SessionEvent[], message: Extract<StreamMessage, { type: 'user' }>, arrived: number): void {
    const agent = this.subagents.agentOf(message);
    const time = message.timestamp ?? arrived;
    this.closeAgentChat(out, agent, time, true);
    for (const block of message.content) {
      if (block.type !== 'tool_result') continue;
      const tool = this.tools.get(block.tool_use_id);
      if (!tool) continue;
      this.tools.delete(block.tool_use_id);
      const outcome = toolOutcome({ toolName: tool.name, content: block.content, isError: block.is_error, toolUseResult: message.toolUseResult });
      const permission = message.permissions.get(block.tool_use_id);
      if (permission) {
        outcome.permissionDecision = permission.decision;
        if (permission.source !== undefined) outcome.permissionSource = permission.source;
      }
      this.caller.settle(outcome, block.tool_use_id);
      const end: SessionEvent = { kind: 'tool_end', time, toolUseId: block.tool_use_id, outcome };
      if (this.options.captureContent) {
        end.result = block.content;
        this.pendingInput.add(this.agentKey(agent), { role: 'tool', parts: [{ type: 'tool_call_response', id: block.tool_use_id, response: block.content }] });
      }
      out.push(end);
      if (SUBAGENT_TOOLS.has(tool.name)) this.endSubagent(out, block.tool_use_id, time, message.toolUseResult);
    }
    this.lastActivity.set(this.agentKey(agent), time);
  }

  private onResult(out: SessionEvent[], message: ResultMessage, time: number): void {
    this.closeAllChats(out, time);
    const result = this.turnResults.next(message);
    this.finalApiError(out, message, time);
    if (!this.promptOpen) this.startPrompt(out, time);
    this.endPrompt(out, time, result);
    this.caller.turnEnded(time);
  }

  /** An error result that came from the API: the failure that ended the turn. */
  private finalApiError(out: SessionEvent[], message: ResultMessage, time: number): void {
    if (!message.isError || (message.apiErrorStatus === undefined && !/^API Error/.test(message.result ?? ''))) return;
    const event: SessionEvent = { kind: 'api_error', time, message: message.result ?? message.subtype, final: true };
    if (message.apiErrorStatus !== undefined) event.status = message.apiErrorStatus;
    out.push(event);
  }

  private endSubagent(out: SessionEvent[], toolUseId: string, time: number, toolUseResult?: unknown): void {
    // Read while the run is open: the agent's start bounds its final call's.
    const agentStart = this.agentStart(toolUseId);
    const end = this.subagents.endForeground(toolUseId, time, toolUseResult);
    if (!end) return;
    if (typeof toolUseResult === 'object' && toolUseResult !== null)
      this.finalSubagentCall(out, toolUseId, agentStart, time, toolUseResult as Record<string, unknown>);
    out.push(end);
  }

  /**
   * stream-json never shows a subagent's final answer; the Task/Agent result reports that
   * call's exact usage, so it becomes the subagent's last chat.
   */
  private finalSubagentCall(out: SessionEvent[], agent: string, agentStart: number, time: number, result: Record<string, unknown>): void {
    if (!this.awaitingFinalAnswer.has(agent)) return;
    this.awaitingFinalAnswer.delete(agent);
    const usage = parseUsage(result.usage);
    if (!usage) return;
    this.closeAgentChat(out, agent, time, false);
    const model = typeof result.resolvedModel === 'string' ? baseModelName(result.resolvedModel) : 'unknown';
    out.push({
      kind: 'chat',
      start: Math.min(Math.max(this.lastActivity.get(agent) ?? time, agentStart), time),
      end: time,
      messageId: '',
      model,
      usage: tokenUsage(usage),
      finishReason: 'end_turn',
      agent,
      text: contentText(result.content),
    });
    const input = this.pendingInput.take(agent);
    const call = out[out.length - 1];
    if (input && call?.kind === 'chat') call.content = { input, output: [{ type: 'text', content: call.text }] };
  }

  /** Ends the open call of one agent; with `onlyFallback`, only one framed by assistant lines alone. */
  private closeAgentChat(out: SessionEvent[], agent: AgentRef, time: number, onlyFallback: boolean): void {
    const key = this.agentKey(agent);
    const chat = this.chats.get(key);
    if (!chat || (onlyFallback && !chat.fromAssistantLines)) return;
    this.chats.delete(key);
    this.emitChat(out, chat, agent, time);
  }

  private closeAllChats(out: SessionEvent[], time: number): void {
    for (const [key, chat] of this.chats) this.emitChat(out, chat, key === '' ? null : key, time);
    this.chats.clear();
  }

  private emitChat(out: SessionEvent[], chat: OpenChat, agent: AgentRef, time: number): void {
    const event: SessionEvent = {
      kind: 'chat',
      start: chat.start,
      end: Math.max(time, chat.start),
      messageId: chat.messageId,
      model: chat.model,
      usage: chat.usage,
      agent,
      text: chat.text,
    };
    if (chat.finishReason !== undefined) event.finishReason = chat.finishReason;
    if (chat.ttftMs !== undefined) event.ttftMs = chat.ttftMs;
    if (chat.input && chat.output) event.content = { input: chat.input, output: chat.output };
    out.push(event);
    this.lastActivity.set(this.agentKey(agent), time);
  }

  /** When an agent's next call started: after the last thing it did, and not before the agent (or prompt) itself. */
  private callStart(key: string, time: number): number {
    return Math.max(this.lastActivity.get(key) ?? time, this.agentStart(key));
  }

  /** The earliest an agent's calls and tools can start: the prompt's start for the main agent, else the run's. */
  private agentStart(key: string): number {
    return key === '' ? this.promptStart : (this.subagents.startOf(key) ?? 0);
  }

  private takeInput(key: string, chat: OpenChat): void {
    const input = this.pendingInput.take(key);
    if (!input) return;
    chat.input = input;
    chat.output = [];
  }
}

type PromptStart = Extract<SessionEvent, { kind: 'prompt_start' }>;

interface AwaitingResult {
  /** When the turn ended: the main agent's last activity in it. */
  time: number;
  responseText: string;
  /** Events of the turns after it, held until it has ended. */
  after: SessionEvent[];
}

// Set in place: spreading the event into a new object cost about a microsecond a session.
function withText(event: PromptStart, text: string): PromptStart {
  event.text = text;
  event.promptLength = text.length;
  return event;
}
