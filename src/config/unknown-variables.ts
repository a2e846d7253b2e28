import { WRAPPER_SETTINGS } from './settings-list.ts';
import { STANDARD_OTEL_VARIABLES } from './standard-otel-variables.ts';

// A misspelt setting is silently ignored, so the wrapper names the likely ones: every
// CLAUDE_OTEL_* variable it does not read, and every OTEL_* one a letter or two away from a
// known name or missing its last part. An unknown OTEL_* name far from all of them may be another tool's, and is left alone.

type Env = Record<string, string | undefined>;

/** Up to this many edits (insert, delete, replace, swap two neighbours) count as a misspelling. */
const MAX_EDITS = 2;

const KNOWN: ReadonlySet<string> = new Set([...WRAPPER_SETTINGS.map((s) => s.name), ...STANDARD_OTEL_VARIABLES]);

/** The edits between `a` and `b`, counting a swap of two neighbouring characters as one (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] ?? [];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(a.length, b.length);
}

function closestKnown(name: string): string | undefined {
  let best: string | undefined;
  let bestDistance = MAX_EDITS + 1;
  for (const known of KNOWN) {
    if (Math.abs(known.length - name.length) > MAX_EDITS) continue;
    const distance = editDistance(name, known);
    if (distance < bestDistance) {
      best = known;
      bestDistance = distance;
    }
  }
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
