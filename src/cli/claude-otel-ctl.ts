import { Command, CommanderError } from 'commander';
import { PACKAGE_VERSION } from '../package-version.ts';
import { registerCtlCommands } from '../ctl/register.ts';
import { EXIT_USAGE } from '../ctl/ctl-failure.ts';
import { ctlEnvironment } from '../ctl/ctl-environment.ts';

// `claude-otel-ctl`: look after the local store and the collector connection.
// Each sub-command lives in src/ctl/commands/<name>-command.ts; this only wires them up.

export async function main(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const program = new Command('claude-otel-ctl')
    .description('Inspect, serve, export and deliver the sessions claude-otel recorded')
    .version(PACKAGE_VERSION)
    .exitOverride()
    .configureOutput({
      writeErr: (text) => process.stderr.write(text),
      // Commander's own messages ("error: unknown command 'x'") carry the prefix of every other message.
      outputError: (text, write) => write(`claude-otel-ctl: ${text.replace(/^error: /, '')}`),
    });
  let exitCode = 0;
  registerCtlCommands(
    program,
    (code) => {
      exitCode = code;
    },
    ctlEnvironment(env),
  );
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    // Help and --version exit 0; anything else commander rejects is a usage error (2).
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    throw error;
  }
  return exitCode;
}
