#!/usr/bin/env node
// A SIGUSR1 with no listener opens Node's inspector: a debugger any local process could attach to,
// in a process holding API keys and OTLP headers. Listened for before anything loads, it ends the
// wrapper as other signals do until the wrapper's own handlers (which pass it on to claude) are in place.
const endByUsr1 = () => {
  if (process.listenerCount('SIGUSR1') > 1) return;
  process.off('SIGUSR1', endByUsr1);
  process.kill(process.pid, 'SIGUSR1');
};
process.on('SIGUSR1', endByUsr1);
const { main, endLikeClaude, withoutUserinfo } = await import('../dist/bundle/claude-otel.js');

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
