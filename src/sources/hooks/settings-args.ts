import type { HookSettings } from './hook-settings.ts';
import { isJsonObject as isObject, type JsonObject as Json } from '../../untrusted-json.ts';

// Adds the wrapper's hooks to claude's arguments. claude merges --settings with the user's
// settings files (their hooks keep firing), but keeps only the last --settings it is given:
// when the user passes one too, theirs and ours become a single --settings.

function parseSettings(value: string, readFile: (path: string) => string): Json | undefined {
  try {
    const text = value.trim().startsWith('{') ? value : readFile(value);
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function mergeHooks(user: Json, ours: HookSettings): Json | undefined {
  const userHooks = user.hooks;
  if (userHooks !== undefined && !isObject(userHooks)) return undefined;
  const hooks: Record<string, unknown> = { ...(userHooks ?? {}) };
  for (const [event, matchers] of Object.entries(ours.hooks)) {
    const theirs = hooks[event];
    if (theirs !== undefined && !Array.isArray(theirs)) return undefined;
    const merged: unknown[] = [...(Array.isArray(theirs) ? theirs : []), ...matchers];
    hooks[event] = merged;
  }
  return { ...user, hooks };
}

/**
 * claude's arguments with the hooks added, or undefined when the user's own --settings
 * cannot be read or merged (then claude runs as asked, and says so itself).
 */
export function argsWithHookSettings(args: readonly string[], ours: HookSettings, readFile: (path: string) => string): string[] | undefined {
  const rest: string[] = [];
  let userValue: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      rest.push(...args.slice(i));
      break;
    }
    if (arg === '--settings') {
      const value = args[i + 1];
      if (value === undefined) return undefined;
      userValue = value;
      i++;
      continue;
    }
    if (arg.startsWith('--settings=')) {
      userValue = arg.slice('--settings='.length);
      continue;
    }
    rest.push(arg);
  }
  let settings: Json = ours;
  if (userValue !== undefined) {
    const user = parseSettings(userValue, readFile);
    const merged = user && mergeHooks(user, ours);
    if (!merged) return undefined;
    settings = merged;
  }
  // In front, so that no variadic option of the user's can swallow it.
  return ['--settings', JSON.stringify(settings), ...rest];
}
