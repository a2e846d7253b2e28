import { appendFile } from 'node:fs/promises';
import type { TraceLinkSettings } from '../config/trace-link-config.ts';
import type { DebugLog } from '../debug-log.ts';

// For scripts: the session's trace id on stderr (--otel-print-trace-id or
// CLAUDE_OTEL_PRINT_TRACE_ID=1), and a link from CLAUDE_OTEL_TRACE_URL (a template with
// {trace_id}); in GitHub Actions the link also goes to the job summary.

export function traceUrl(template: string | undefined, traceId: string): string | undefined {
  if (!template?.trim()) return undefined;
  return template.trim().replaceAll('{trace_id}', traceId).replaceAll('{traceId}', traceId);
}

export async function announceTrace(traceId: string, options: { print: boolean; settings: TraceLinkSettings; debugLog: DebugLog }): Promise<void> {
  const url = traceUrl(options.settings.urlTemplate, traceId);
  if (options.print) process.stderr.write(`claude-otel: trace_id=${traceId}\n`);
  if (url) process.stderr.write(`claude-otel: trace ${url}\n`);
  const summary = options.settings.jobSummaryPath;
  if (url && summary) {
    try {
      await appendFile(summary, `- Claude session trace: [${traceId}](${url})\n`);
    } catch (error) {
      options.debugLog.log('warn', 'could not write the GitHub job summary', { error: String(error) });
    }
  }
}
