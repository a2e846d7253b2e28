import { isAbsolute } from 'node:path';
import { resolveWrapperConfig } from '../config/wrapper-config.ts';
import type { WrapperConfig } from '../config/wrapper-config.ts';
import { resolveRetentionSettings } from '../config/retention-config.ts';
import { wantsColour } from './render/text/terminal-style.ts';
import { terminalColumns } from './render/text/terminal-width.ts';

// What claude-otel-ctl reads from its environment, once, where it starts
// (cli/claude-otel-ctl.ts): the commands below take it from here and never read the
// environment themselves.

type Env = Record<string, string | undefined>;

export interface CtlEnvironment {
  /** The wrapper's settings as the wrapper would resolve them here (the state dir is only looked at). */
  readonly config: WrapperConfig;
  /**
   * Why no command reads or writes the state dir the environment names, when it is relative: the
   * wrapper refuses it too, and it would name another store in each directory a command runs in.
   */
  readonly stateDirRefusal: string | undefined;
  /** The retention settings' own warnings (prune names them). */
  readonly retentionWarnings: readonly string[];
  /** Colour on stdout (a terminal, and neither NO_COLOR nor TERM=dumb). */
  readonly colour: boolean;
  /** The terminal's width, when stdout is one (or COLUMNS). */
  readonly columns: number | undefined;
  /** The environment the claude doctor checks would run with: the caller's, unchanged. */
  readonly claudeEnv: Readonly<Env>;
}

export function ctlEnvironment(env: Env, stdout: { isTTY?: boolean; columns?: number } = process.stdout): CtlEnvironment {
  const config = resolveWrapperConfig(env);
  const from = env.CLAUDE_OTEL_STATE_DIR?.trim() ? 'CLAUDE_OTEL_STATE_DIR' : 'XDG_STATE_HOME';
  return Object.freeze({
    config,
    stateDirRefusal: isAbsolute(config.stateDir) ? undefined : `${config.stateDir} is not an absolute path (${from})`,
    retentionWarnings: Object.freeze(resolveRetentionSettings(env).warnings),
    colour: wantsColour(stdout, env),
    columns: terminalColumns(stdout, env),
    claudeEnv: Object.freeze({ ...env }),
  });
}
