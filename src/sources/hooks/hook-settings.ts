import { HOOK_EVENTS } from './hook-events.ts';

// The hooks the wrapper adds to one interactive run (through claude's --settings): every
// event's payload lands, untouched, in a file of its own in the run's spool directory.
//
// Why a file per payload: every tool call waits for its PreToolUse hook, so the hook must
// be one `sh` and one `cat` (about 2 ms; a Node process would be about 60 ms), and
// concurrent hooks (parallel tools, subagents) must never mix their payloads. A shared
// `cat >> spool` does mix them: a payload bigger than a pipe buffer is copied in several
// writes, and 4 concurrent 300 KB payloads came out interleaved in most runs. A file per
// payload cannot interleave, and its modification time says when the hook fired.
//
// `$$` (the hook shell's pid) names the file: no two running hooks share it, and the
// wrapper consumes files within a fraction of a second, long before a pid comes round
// again. `set -C` makes a clash fail rather than overwrite. The hook always exits 0 and
// prints nothing: exit 2 would block the tool call, and stdout would reach the model.

export interface CommandHook {
  type: 'command';
  command: string;
}
export interface HookMatcher {
  hooks: CommandHook[];
}
export type HookSettings = { hooks: Record<string, HookMatcher[]> };

/** Quotes a string for POSIX sh: single quotes, with embedded ones closed and escaped. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** OTEL_* variables never reach hooks (claude removes them), so the path is in the command itself. */
export function spoolHookCommand(spoolDir: string): string {
  return `{ set -C; cat > ${shellQuote(spoolDir)}/$$.json; } 2>/dev/null || cat >/dev/null 2>&1; exit 0`;
}

export function hookSettings(spoolDir: string): HookSettings {
  const command = spoolHookCommand(spoolDir);
  const hooks: Record<string, HookMatcher[]> = {};
  for (const event of HOOK_EVENTS) hooks[event] = [{ hooks: [{ type: 'command', command }] }];
  return { hooks };
}
