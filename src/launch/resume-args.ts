// Which earlier session a run continues, from claude's arguments: `--resume <id>` (`-r`),
// `--continue` (`-c`, the directory's latest session), `--fork-session` (a new id for the
// resumed conversation).

// Claude's session ids are UUIDs; any other value of --resume is a search term for its picker.
const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ResumeArgs {
  /** The id given to --resume, when one was. */
  resumeId?: string;
  continued: boolean;
  fork: boolean;
}

export function resumeArgs(args: readonly string[]): ResumeArgs | undefined {
  let resumeId: string | undefined;
  let resumed = false;
  let continued = false;
  let fork = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') break;
    if (arg === '--continue' || arg === '-c') continued = true;
    else if (arg === '--fork-session') fork = true;
    else if (arg.startsWith('--resume=')) {
      resumed = true;
      resumeId = arg.slice('--resume='.length) || undefined;
    } else if (arg === '--resume' || arg === '-r') {
      resumed = true;
      const next = args[i + 1];
      // Without a value (or with a search term), claude offers a picker (interactive mode): the id comes from its hooks.
      if (next !== undefined && !next.startsWith('-')) {
        resumeId = next;
        i++;
      }
    }
  }
  if (!resumed && !continued) return undefined;
  const out: ResumeArgs = { continued, fork };
  if (resumeId !== undefined && SESSION_ID.test(resumeId)) out.resumeId = resumeId;
  return out;
}

/**
 * The session this run continues. Without --fork-session claude keeps the resumed session's id,
 * so it is the id the run reports; with it, only an id given to --resume names the earlier one.
 */
export function resumedFrom(resume: ResumeArgs | undefined, sessionId: string): string | undefined {
  if (!resume) return undefined;
  if (resume.resumeId !== undefined) return resume.resumeId;
  return resume.fork || !sessionId ? undefined : sessionId;
}
