#!/usr/bin/env node
import { main } from '../dist/bundle/claude-otel.js';

const selfPaths = [new URL(import.meta.url).pathname, process.argv[1]].filter(Boolean);
main(process.argv.slice(2), process.env, selfPaths).then(
  // Exit only once stdout has taken everything: a pipe may still hold a large output.
  (code) => (process.stdout.destroyed ? process.exit(code) : process.stdout.write('', () => process.exit(code))),
  (error) => {
    process.stderr.write(`claude-otel: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(70);
  },
);
