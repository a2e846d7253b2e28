#!/usr/bin/env node
import { main, endLikeClaude, withoutUserinfo } from '../dist/bundle/claude-otel.js';

const selfPaths = [new URL(import.meta.url).pathname, process.argv[1]].filter(Boolean);
main(process.argv.slice(2), process.env, selfPaths).then(
  // End only once stdout has taken everything (a pipe may still hold a large output), and
  // the way claude ended: its exit code, or the signal that ended it.
  (exit) => (process.stdout.destroyed ? endLikeClaude(exit) : process.stdout.write('', () => endLikeClaude(exit))),
  (error) => {
    process.stderr.write(`claude-otel: ${withoutUserinfo(error instanceof Error ? error.message : String(error))}\n`);
    process.exit(70);
  },
);
