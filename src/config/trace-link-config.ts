// Where a script's trace link goes: CLAUDE_OTEL_TRACE_URL (a template with {trace_id}), and in
// GitHub Actions the job summary file.

type Env = Record<string, string | undefined>;

export interface TraceLinkSettings {
  urlTemplate: string | undefined;
  /** GITHUB_STEP_SUMMARY, only inside GitHub Actions. */
  jobSummaryPath: string | undefined;
}

export function traceLinkSettings(env: Env): TraceLinkSettings {
  const template = env.CLAUDE_OTEL_TRACE_URL?.trim();
  const summary = env.GITHUB_ACTIONS === 'true' ? env.GITHUB_STEP_SUMMARY?.trim() : undefined;
  return { urlTemplate: template || undefined, jobSummaryPath: summary || undefined };
}
