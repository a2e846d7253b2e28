#!/usr/bin/env node
import { main } from '../dist/bundle/claude-otel-ctl.js';

main(process.argv.slice(2), process.env).then(
  // Exit only once stdout has taken everything: a pipe may still hold a large output.
  (code) => (process.stdout.destroyed ? process.exit(code) : process.stdout.write('', () => process.exit(code))),
  (error) => {
    process.stderr.write(`claude-otel-ctl: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(70);
  },
);
