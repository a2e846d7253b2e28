#!/usr/bin/env node
// A SIGUSR1 with no listener opens Node's inspector (a debugger any local process could attach to,
// in a process that may hold OTLP headers): it ends the process instead, as its default action would.
const endByUsr1 = () => {
  process.off('SIGUSR1', endByUsr1);
  process.kill(process.pid, 'SIGUSR1');
};
process.on('SIGUSR1', endByUsr1);
const { main } = await import('../dist/bundle/claude-otel-ctl.js');

main(process.argv.slice(2), process.env).then(
  // Exit only once stdout has taken everything: a pipe may still hold a large output.
  (code) => (process.stdout.destroyed ? process.exit(code) : process.stdout.write('', () => process.exit(code))),
  (error) => {
    process.stderr.write(`claude-otel-ctl: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(70);
  },
);
