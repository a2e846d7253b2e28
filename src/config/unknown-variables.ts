import { likelyMeant } from './edit-distance.ts';
import { WRAPPER_SETTINGS } from './settings-list.ts';
import { STANDARD_OTEL_VARIABLES } from './standard-otel-variables.ts';

// A misspelt setting is silently ignored, so the wrapper names the likely ones: every
// CLAUDE_OTEL_* variable it does not read, and every OTEL_* one a letter or two away from a
// known name or missing its last part. An unknown OTEL_* name far from all of them may be another tool's, and is left alone.

type Env = Record<string, string | undefined>;

/** Up to this many edits (insert, delete, replace, swap two neighbours) count as a misspelling. */
const MAX_EDITS = 2;

const KNOWN: ReadonlySet<string> = new Set([...WRAPPER_SETTINGS.map((s) => s.name), ...STANDARD_OTEL_VARIABLES]);

function closestKnown(name: string): string | undefined {
  const best = likelyMeant(name, KNOWN, MAX_EDITS);
  if (best) return best;
  // A dropped last part, often the unit (a timeout written without its _MS).
  const longer = [...KNOWN].filter((known) => known.startsWith(`${name}_`)).sort((a, b) => a.length - b.length);
  return longer[0];
}

/** One warning per unknown CLAUDE_OTEL_* variable and per likely misspelt OTEL_* one, in name order. */
export function unknownVariableWarnings(env: Env): string[] {
  const warnings: string[] = [];
  for (const name of Object.keys(env).sort()) {
    if (KNOWN.has(name) || !(name.startsWith('OTEL_') || name.startsWith('CLAUDE_OTEL_'))) continue;
    const suggestion = closestKnown(name);
    if (suggestion) warnings.push(`${name} is not a setting claude-otel knows, so it has no effect; did you mean ${suggestion}?`);
    else if (name.startsWith('CLAUDE_OTEL_')) warnings.push(`${name} is not a claude-otel setting, so it has no effect`);
  }
  return warnings;
}
