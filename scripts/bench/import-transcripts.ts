import { mkdir, readFile, readdir, writeFile, copyFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchEnvironment } from './bench-environment.ts';
import type { RunFailure } from './balanced-rounds.ts';
import { runTimed } from './timed-process.ts';
import { readUsage } from './usage-probe.ts';

// `claude-otel-ctl import` of a large history: 1,000 transcripts of about 200 KB each (200 MB),
// made from a real 2.1.197 transcript (test/fixtures/transcripts/print-2.1.197-resumed): its first
// run, its calls repeated under new message and tool ids until the file is large enough, its
// subagent beside it. Wall time, transcripts per second and the command's peak RSS (one session
// at a time, read line by line: it must not grow with the history).

export interface ImportSample {
  transcripts: number;
  megabytes: number;
  wallMs: number;
  maxRssKb: number;
}

const TRANSCRIPTS = 1000;
const TARGET_BYTES = 200 * 1024;
const FIXTURE = fileURLToPath(new URL('../../test/fixtures/transcripts/print-2.1.197-resumed/', import.meta.url));
const CTL_BIN = fileURLToPath(new URL('../../bin/claude-otel-ctl.js', import.meta.url));

/** The fixture's first run: its lines up to the process's end line, and the calls after its prompt. */
async function fixtureRun(): Promise<{ sessionId: string; head: string[]; calls: string[]; subagentDir: string }> {
  const name = (await readdir(FIXTURE)).find((f) => f.endsWith('.jsonl'));
  if (!name) throw new Error('no transcript in the fixture');
  const sessionId = name.slice(0, -'.jsonl'.length);
  const lines = (await readFile(join(FIXTURE, name), 'utf8')).split('\n').filter(Boolean);
  const end = lines.findIndex((l) => l.startsWith('{"type":"last-prompt"'));
  const run = lines.slice(0, end === -1 ? lines.length : end);
  const calls = run.filter((l) => l.includes('"type":"assistant"') || l.includes('"toolUseResult"'));
  return { sessionId, head: run, calls, subagentDir: join(FIXTURE, sessionId, 'subagents') };
}

async function writeHistory(configDir: string): Promise<number> {
  const { sessionId, head, calls, subagentDir } = await fixtureRun();
  const project = join(configDir, 'projects', '-home-user-project');
  await mkdir(project, { recursive: true });
  let bytes = 0;
  for (let i = 0; i < TRANSCRIPTS; i++) {
    const id = randomUUID();
    const out = head.map((l) => l.split(sessionId).join(id));
    let size = out.reduce((n, l) => n + l.length + 1, 0);
    for (let round = 1; size < TARGET_BYTES; round++) {
      for (const line of calls) {
        const copy = line
          .split(sessionId)
          .join(id)
          .replace(/"(msg_|toolu_|req_)([A-Za-z0-9_]+)"/g, `"$1$2_${round}"`)
          .replace(/"uuid":"([0-9a-f-]+)"/, `"uuid":"${randomUUID()}"`);
        out.push(copy);
        size += copy.length + 1;
      }
    }
    out.push(`{"type":"last-prompt","lastPrompt":"do things","sessionId":"${id}"}`);
    const text = `${out.join('\n')}\n`;
    bytes += text.length;
    await writeFile(join(project, `${id}.jsonl`), text);
    const subagents = join(project, id, 'subagents');
    await mkdir(subagents, { recursive: true });
    for (const file of await readdir(subagentDir)) {
      if (file.endsWith('.meta.json')) await copyFile(join(subagentDir, file), join(subagents, file));
      else await writeFile(join(subagents, file), (await readFile(join(subagentDir, file), 'utf8')).split(sessionId).join(id));
    }
  }
  return bytes;
}

export async function runImportBench(env: BenchEnvironment, log: (line: string) => void): Promise<{ sample?: ImportSample; failures: RunFailure[] }> {
  const configDir = join(env.scratch, 'import-claude-config');
  const bytes = await writeHistory(configDir);
  log(`import: ${TRANSCRIPTS} transcripts, ${(bytes / 1024 / 1024).toFixed(0)} MB written; importing`);
  const usageFile = env.scratchFile('usage');
  const run = await runTimed(process.execPath, [...env.probe.nodeArgs, CTL_BIN, 'import', '--quiet-after', '0'], {
    cwd: env.sandbox.cwd,
    env: env.env({ ...env.probe.env(usageFile), CLAUDE_CONFIG_DIR: configDir, CLAUDE_OTEL_STATE_DIR: join(env.scratch, 'state-import') }),
    timeoutMs: 600_000,
  });
  const usage = await readUsage(usageFile);
  if (run.exitCode !== 0 || !usage) return { failures: [{ scenario: 'import', round: 0, problem: `exit code ${run.exitCode}; ${run.stderr.slice(-300)}` }] };
  return { sample: { transcripts: TRANSCRIPTS, megabytes: bytes / 1024 / 1024, wallMs: run.wallMs, maxRssKb: usage.maxRssKb }, failures: [] };
}
