// The hook events the wrapper registers for in an interactive session. Apart from the payload
// schemas, so that writing the hook settings (before claude starts) loads no schema code.

export const HOOK_EVENTS = [
  'SessionStart',
  'UserPromptSubmit',
  'PreToolUse',
  'PostToolUse',
  'PostToolUseFailure',
  'SubagentStart',
  'SubagentStop',
  'Stop',
  'StopFailure',
  'SessionEnd',
  // Fired when claude asks the person to allow a tool call. (Compactions are read from the
  // transcript: claude shows every PreCompact hook's command to the person as it compacts.)
  'PermissionRequest',
] as const;

export type HookEventName = (typeof HOOK_EVENTS)[number];
