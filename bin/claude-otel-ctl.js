#!/usr/bin/env node
import { main } from '../dist/commands/claude-otel-ctl.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`claude-otel-ctl: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(70);
  },
);
