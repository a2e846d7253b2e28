// One typed model of what happens in a Claude session, whatever it was read from
// (print mode's stream-json, or interactive mode's hooks and transcript).

export type SessionMode = 'print' | 'interactive';

/** Token counts of one model call, as the API reports them (input excludes the cache). */
export interface TokenUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
}

export interface ToolOutcome {
  isError: boolean;
  errorMessage?: string;
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
}

/** The agent a call belongs to: null for the main agent, else the Task/Agent tool_use id. */
export type AgentRef = string | null;

export type SessionEvent =
  | { kind: 'session_start'; time: number; sessionId: string; model: string; version: string; cwd: string; mode: SessionMode; permissionMode?: string }
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
    }
  | { kind: 'tool_start'; time: number; toolUseId: string; name: string; input: Record<string, unknown>; agent: AgentRef }
  | { kind: 'tool_end'; time: number; toolUseId: string; outcome: ToolOutcome }
  | { kind: 'subagent_start'; time: number; toolUseId: string; agentType: string; agentId?: string; description?: string }
  | { kind: 'subagent_end'; time: number; toolUseId: string; totalTokens?: number; toolUses?: number; durationMs?: number; status?: string }
  | { kind: 'api_error'; time: number; status?: number; message: string; attempt?: number; maxRetries?: number; retryDelayMs?: number; final: boolean }
  | { kind: 'prompt_end'; time: number; result?: SessionResult; responseText?: string }
  | { kind: 'session_end'; time: number; result?: SessionResult; exitCode: number; signal?: string; interrupted: boolean };

export type SessionEventKind = SessionEvent['kind'];

export function emptyUsage(): TokenUsage {
  return { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 };
}
