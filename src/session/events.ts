// One typed model of what happens in a Claude session, whatever it was read from
// (the stream-json of print and SDK mode, or interactive mode's hooks and transcript).

export type SessionMode = 'print' | 'sdk' | 'interactive';

/** Where a session was read from: run through the wrapper, or recovered from claude's transcript afterwards. */
export type SessionSource = 'wrapper' | 'transcript';

export type { ChatContent, ConversationMessage, MessagePart, TokenUsage } from '../sources/model-call.ts';
export { emptyUsage } from '../sources/model-call.ts';
import type { ChatContent, TokenUsage } from '../sources/model-call.ts';

export interface ToolOutcome {
  isError: boolean;
  /** Raw (not yet redacted) and bounded; cut to its limit only after redaction. */
  errorMessage?: string;
  /** The full message's length when errorMessage was bounded. */
  errorMessageLength?: number;
  exitCode?: number;
  stdoutBytes?: number;
  stderrBytes?: number;
  outputBytes: number;
  outputTruncated: boolean;
  interrupted: boolean;
  timedOut: boolean;
  permissionDenied: boolean;
  /** The tool's own duration when the CLI reports one (hooks' duration_ms). */
  durationMs?: number;
  /** How long the call waited for the person to allow it (SDK mode: the can_use_tool round-trip). */
  permissionWaitMs?: number;
  /** How the call was allowed or refused (tool_result_meta, 2.1.332): e.g. `accept` from `config`. */
  permissionDecision?: string;
  permissionSource?: string;
}

export interface SessionResult {
  subtype: string;
  isError: boolean;
  text?: string;
  durationMs?: number;
  durationApiMs?: number;
  numTurns?: number;
  costUsd?: number;
  permissionDenials: number;
  apiErrorStatus?: number;
  /** Cost in USD per model, as the CLI totals it. */
  costByModel: Record<string, number>;
  /** Thinking tokens among the output tokens (2.1.332). */
  thinkingTokens?: number;
  /** The largest context window of the models used, in tokens (2.1.332). */
  contextWindow?: number;
}

/**
 * The git work tree claude ran in, read by the wrapper (never reported by claude): attached
 * to the session's end, when the end revision is known.
 */
export interface GitContext {
  /** The `origin` remote as a browsable URL, credentials removed. */
  repositoryUrl?: string;
  /** The repository's name, without its owner or group. */
  repositoryName?: string;
  /** The branch at the start; absent when HEAD was detached. */
  branch?: string;
  /** The commit at the start; absent on a branch with no commit yet. */
  revision?: string;
  /** The commit at the end. */
  revisionEnd?: string;
  /** Commits reachable from the end revision and not from the start one. */
  commits?: number;
  /** Tracked files had uncommitted changes at the start; absent when that could not be told in time. */
  dirty?: boolean;
  /** The work tree is a linked worktree (`git worktree add`). */
  worktree: boolean;
  /** CI's environment named the repository: the `vcs.*` attributes are on the resource, not repeated on the span. */
  vcsOnResource: boolean;
}

/** The agent a call belongs to: null for the main agent, else the Task/Agent tool_use id. */
export type AgentRef = string | null;

export type SessionEvent =
  | {
      kind: 'session_start';
      time: number;
      sessionId: string;
      model: string;
      version: string;
      cwd: string;
      mode: SessionMode;
      permissionMode?: string;
      /** The session this run resumes or forks (--resume, --continue, --fork-session). */
      resumedFrom?: string;
      /** Absent: the wrapper ran the session. */
      source?: SessionSource;
      /** Claude ended without starting a session (no init line): the folder was not worked in. */
      neverStarted?: true;
    }
  | { kind: 'prompt_start'; time: number; text?: string; promptLength?: number }
  | {
      kind: 'chat';
      start: number;
      end: number;
      messageId: string;
      model: string;
      usage: TokenUsage;
      finishReason?: string;
      ttftMs?: number;
      agent: AgentRef;
      text: string;
      content?: ChatContent;
    }
  | { kind: 'tool_start'; time: number; toolUseId: string; name: string; input: Record<string, unknown>; agent: AgentRef }
  | { kind: 'tool_end'; time: number; toolUseId: string; outcome: ToolOutcome; result?: unknown }
  | {
      kind: 'subagent_start';
      time: number;
      toolUseId: string;
      agentType: string;
      agentId?: string;
      description?: string;
      /** Runs beside the main agent; it ends when the CLI reports it done, not when its tool call returns. */
      background?: boolean;
      /** The tool call of this agent's earlier run, when SendMessage continues it. */
      continues?: string;
    }
  | {
      kind: 'subagent_end';
      time: number;
      toolUseId: string;
      totalTokens?: number;
      toolUses?: number;
      durationMs?: number;
      status?: string;
      unfinished?: boolean;
    }
  | { kind: 'api_error'; time: number; status?: number; message: string; attempt?: number; maxRetries?: number; retryDelayMs?: number; final: boolean }
  | { kind: 'compaction'; time: number; trigger: string; preTokens?: number; postTokens?: number }
  | { kind: 'prompt_end'; time: number; result?: SessionResult; responseText?: string }
  | {
      kind: 'session_end';
      time: number;
      result?: SessionResult;
      /** Absent when nobody saw claude exit (a session read from its transcript). */
      exitCode?: number;
      signal?: string;
      interrupted: boolean;
      git?: GitContext;
    };

export type SessionEventKind = SessionEvent['kind'];
