import { homedir } from 'node:os';
import { join } from 'node:path';

type Env = Record<string, string | undefined>;

/** Where claude keeps its settings and transcripts: CLAUDE_CONFIG_DIR, else ~/.claude. */
export function claudeConfigDir(env: Env): string {
  return env.CLAUDE_CONFIG_DIR?.trim() || join(env.HOME?.trim() || homedir(), '.claude');
}
