import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { WRAPPER_SETTINGS } from '../config/settings-list.ts';
import { askClaudeVersion, claudeVersionOf } from '../launch/claude-version.ts';
import { ClaudeNotFoundError, resolveClaude } from '../launch/resolve-claude.ts';
import { WRAPPER_OPTIONS } from '../launch/wrapper-options.ts';
import { withLoopMarker } from '../launch/wrapper-loop.ts';
import { PACKAGE } from '../package-root.ts';
import { PACKAGE_VERSION } from '../package-version.ts';

// `claude-otel --otel-version`: what the wrapper is, and which claude it would run; `--otel-help`:
// how to use it, which starts nothing. (`--version` and `--help` are claude's own and pass through.)

type Env = Record<string, string | undefined>;

export interface About {
  /** For stdout. */
  text: string;
  /** A line for stderr, when claude's version could not be asked. */
  warning?: string;
}

/** Line 1: the wrapper; line 2: the claude it would run, or why there is none. */
export async function versionLines(env: Env, selfPaths: string[]): Promise<About> {
  const wrapper = `claude-otel ${PACKAGE_VERSION}`;
  let claudeBin: string;
  try {
    claudeBin = resolve(resolveClaude({ env, selfPaths }));
  } catch (error) {
    if (!(error instanceof ClaudeNotFoundError)) throw error;
    return { text: `${wrapper}\nclaude: not found (${error.message.replace(/^claude-otel: /, '')})\n` };
  }
  const answer = await askClaudeVersion(claudeBin, withLoopMarker(env));
  if ('version' in answer) return { text: `${wrapper}\nclaude ${answer.version} (${claudeBin})\n` };
  // The loop check of a wrapper started as "claude" answers for it.
  if (answer.failed.startsWith('claude-otel: ')) {
    return { text: `${wrapper}\nclaude: not found (${claudeBin} is claude-otel again; set CLAUDE_OTEL_CLAUDE_BIN to the real claude)\n` };
  }
  return {
    text: `${wrapper}\nclaude ${claudeVersionOf(claudeBin)} (${claudeBin})\n`,
    warning: `claude-otel: ${claudeBin} --version: ${answer.failed}`,
  };
}

function table(rows: readonly { name: string; line: string }[]): string {
  const width = Math.max(...rows.map((r) => r.name.length)) + 2;
  return rows.map((r) => `  ${r.name.padEnd(width)}${r.line}\n`).join('');
}

const OPTION_ROWS = WRAPPER_OPTIONS.map((o) => ({ name: o.name, line: o.meaning }));
const SETTING_ROWS = WRAPPER_SETTINGS.map((s) => ({ name: s.name, line: s.description }));

export function helpText(): string {
  const docs =
    PACKAGE && existsSync(join(PACKAGE.root, 'docs', 'telemetry.md'))
      ? join(PACKAGE.root, 'docs', 'telemetry.md')
      : 'docs/telemetry.md in the claude-otel package';
  return [
    'Usage: claude-otel [--otel-options] [claude arguments]\n',
    '\n',
    'Runs claude with the same arguments, input and output, and records the session as\n',
    "OpenTelemetry traces, logs and metrics. --help and --version are claude's.\n",
    '\n',
    'Options (never passed to claude):\n',
    table(OPTION_ROWS),
    '\n',
    'Settings (environment variables):\n',
    table(SETTING_ROWS),
    '\n',
    `Every setting, span, attribute and metric: ${docs}\n`,
  ].join('');
}
