import { REPORT_CSS } from '../render/html/html-report.ts';
import { PAGE_SCRIPT } from './page-script.ts';

// The live page at `/`: the report's style, a filter form, the sessions table, the chosen
// session, and a script under a per-answer nonce; its Content-Security-Policy lets it talk to
// this server only and load nothing else.

const PAGE_CSS = `
form#filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; margin: 12px 0; }
form#filters label { display: flex; flex-direction: column; font-size: 12px; color: #555; }
form#filters input, form#filters select { font: inherit; padding: 2px 4px; }
#live { font-size: 12px; color: #2e9e5b; margin-left: 8px; }
table.waterfall tr[data-span] { cursor: pointer; }
tr.chosen td { outline: 1px solid #4a78c2; }
button.fold { font: inherit; font-size: 11px; border: 1px solid #ccc; border-radius: 3px; background: #f6f6f6; cursor: pointer; }
#attributes table { font-size: 12px; margin: 8px 0; }
#attributes td { white-space: pre-wrap; word-break: break-all; max-width: 900px; }
`;

export function pageContentSecurityPolicy(nonce: string): string {
  return `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

function select(name: string, label: string, options: string[]): string {
  return `<label>${label}<select name="${name}"><option value="">any</option>${options.map((o) => `<option>${o}</option>`).join('')}</select></label>`;
}

function input(name: string, label: string, placeholder: string): string {
  return `<label>${label}<input name="${name}" placeholder="${placeholder}" size="12"></label>`;
}

export function livePage(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>claude-otel sessions</title>
<style>${REPORT_CSS}${PAGE_CSS}</style>
</head>
<body>
<h1>Claude Code sessions<span id="live">connecting…</span></h1>
<form id="filters">
${input('since', 'since', '7d, 2026-01-31')}
${input('q', 'prompt', 'text')}
${input('repo', 'repository', 'owner/name')}
${input('branch', 'branch', 'main')}
${input('model', 'model', 'claude-…')}
${select('mode', 'mode', ['print', 'sdk', 'interactive'])}
${select('status', 'status', ['ok', 'error', 'running'])}
</form>
<section id="sessions"></section>
<section id="session"></section>
<section id="attributes"></section>
<script nonce="${nonce}">${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
