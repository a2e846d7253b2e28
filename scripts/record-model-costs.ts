// Records what the Claude CLI itself charges for a call of each model the price table knows
// (src/telemetry/pricing.ts), into test/fixtures/pricing/: the unit tests hold the table to
// these figures. Run it when a CLI with new models or prices comes out, after adding them to the
// table: `node --import tsx scripts/record-model-costs.ts`, with the newest CLI (an older one
// prices the models newer than itself as some model it knows). Each model answers one prompt through the stand-in API with the same
// usage, 1-hour cache writes included; a model with other rates for long prompts answers a
// second one just above its threshold. The CLI's own view is kept as it is: a model it does not
// price (`costBasis: "unknown"`) or maps to another is recorded, and the tests pass over it.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pricedModels } from '../src/telemetry/pricing.ts';
import { startAnthropicStub } from '../test/support/anthropic-stub.ts';
import type { Usage } from '../test/support/anthropic-stub.ts';
import { CLAUDE_BIN, CLAUDE_CLI_VERSION, makeSandbox } from '../test/support/claude-run.ts';

const OUT_DIR = fileURLToPath(new URL('../test/fixtures/pricing/', import.meta.url));

const USUAL: Usage = {
  input_tokens: 1000,
  output_tokens: 700,
  cache_read_input_tokens: 3000,
  cache_creation_input_tokens: 500,
  cache_creation: { ephemeral_5m_input_tokens: 300, ephemeral_1h_input_tokens: 200 },
};

function longPrompt(above: number): Usage {
  return { ...USUAL, input_tokens: above + 1 - (USUAL.cache_read_input_tokens ?? 0) - (USUAL.cache_creation_input_tokens ?? 0) };
}

/** What claude reported for the call: the model it names (its key in `modelUsage`) and its figures. */
async function chargedFor(model: string, usage: Usage): Promise<{ reportedModel: string; charged: unknown } | undefined> {
  const stub = await startAnthropicStub([{ kind: 'text', text: 'priced', usage }], { sideText: 'title' });
  const sandbox = await makeSandbox({ apiUrl: stub.url });
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      let out = '';
      // Without it, the CLI answers for an old model with the newest one.
      const env = { ...sandbox.env, CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP: '1' };
      const claude = spawn(CLAUDE_BIN, ['-p', 'hi', '--model', model, '--output-format', 'json'], {
        cwd: sandbox.cwd,
        env,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      claude.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      claude.on('error', reject);
      claude.on('close', () => resolve(out));
    });
    const result = JSON.parse(stdout) as { modelUsage?: Record<string, unknown> };
    const [entry] = Object.entries(result.modelUsage ?? {});
    return entry && { reportedModel: entry[0], charged: entry[1] };
  } finally {
    await stub.close();
    await sandbox.cleanup();
  }
}

const lines: string[] = [];
for (const { model, longPromptAbove } of pricedModels()) {
  for (const usage of longPromptAbove === undefined ? [USUAL] : [USUAL, longPrompt(longPromptAbove)]) {
    const reported = await chargedFor(model, usage);
    if (reported === undefined) {
      process.stderr.write(`record-model-costs: claude ${CLAUDE_CLI_VERSION} reported no usage for ${model}\n`);
      process.exit(1);
    }
    lines.push(JSON.stringify({ cli: CLAUDE_CLI_VERSION, model, usage, ...reported }));
    process.stdout.write(`${model}: ${JSON.stringify(reported)}\n`);
  }
}
mkdirSync(OUT_DIR, { recursive: true });
writeFileSync(`${OUT_DIR}model-costs-${CLAUDE_CLI_VERSION}.jsonl`, `${lines.join('\n')}\n`);
