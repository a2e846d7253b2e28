import type { Command } from 'commander';
import type { SetExitCode } from './command-context.ts';
import { STATE_DIR_HELP, resolveStateDir, runAction, usageErrorsExitTwo, warnOnStderr } from './command-context.ts';
import type { StoreOptions } from './command-context.ts';
import { CtlFailure, EXIT_NOT_FOUND, EXIT_USAGE } from '../ctl-failure.ts';
import type { CtlEnvironment } from '../ctl-environment.ts';

// `claude-otel-ctl serve`: the store over HTTP on 127.0.0.1, a JSON API and a live page. The
// server's code is imported only when this command runs, so neither the wrapper nor the other
// commands load it.

interface ServeOptions extends StoreOptions {
  port: string;
  host: string;
  open?: boolean;
}

export const DEFAULT_SERVE_PORT = '4380';

function parsePort(text: string): number {
  const n = Number(text.trim());
  if (!/^\d{1,5}$/.test(text.trim()) || n > 65535) throw new CtlFailure(`--port ${JSON.stringify(text)}: expected a port number from 0 to 65535`, EXIT_USAGE);
  return n;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function listenFailure(error: unknown, host: string, port: number): CtlFailure {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  const why = code === 'EADDRINUSE' ? 'the port is in use (try --port 0 for any free port)' : code === 'EACCES' ? 'not allowed' : code || String(error);
  return new CtlFailure(`cannot listen on ${host}:${port}: ${why}`, EXIT_NOT_FOUND);
}

/** Opens the page in the user's browser; a machine without one just keeps the printed URL. */
async function openInBrowser(url: string): Promise<void> {
  const { spawn } = await import('node:child_process');
  const [file, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(file, args, { stdio: 'ignore', detached: true });
    child.on('error', () => warnOnStderr(`could not open a browser (${file}); open the URL above`));
    child.unref();
  } catch {
    warnOnStderr('could not open a browser; open the URL above');
  }
}

export function registerServeCommand(program: Command, setExitCode: SetExitCode, ctl: CtlEnvironment): void {
  const command = program
    .command('serve')
    .description('Serve the store over HTTP on 127.0.0.1: a trace API (JSON, OTLP JSON spans) and a live page')
    .option('--port <n>', 'the port to listen on (0: any free port)', DEFAULT_SERVE_PORT)
    .option('--host <address>', 'the address to listen on; anything but loopback lets other machines reach the API (they still need the token)', '127.0.0.1')
    .option('--open', 'open the page in the browser')
    .option('--state-dir <dir>', STATE_DIR_HELP)
    .addHelpText(
      'after',
      `
Prints the page's URL, which carries a token made at random at start: every request needs it,
as ?token=<token> or as the header Authorization: Bearer <token>. Requests whose Host or Origin
is not this machine are refused (403), as are all but GET and HEAD (405); nothing sends CORS
headers. Stops on Ctrl-C.

  GET /api/traces                    sessions, newest first: since, until, repo, branch, model,
                                     mode, status (ok, error, running), delivered, q (prompt
                                     text), limit (1-10000, default 100), offset
  GET /api/traces/<id>               one session and its spans; <id>: a trace id, session id
                                     or prefix of one (its newest run), run id, or "last"
  GET /api/traces/<id>/spans         its spans as an OTLP JSON trace request
  GET /api/traces/stats/summary      what stats computes: since (default 7d), until, by
  GET /api/events                    server-sent events: "store" when the store changed

Errors are JSON, {"error": {"status": 400, "message": "..."}}. docs/serve.md has examples.

Exit codes: 0 stopped by Ctrl-C or SIGTERM, 1 the address could not be listened on (or the state
dir is relative or cannot be read), 2 a wrong option.`,
    )
    .action((options: ServeOptions) =>
      runAction(setExitCode, async () => {
        const port = parsePort(options.port);
        const host = options.host.trim();
        if (!host) throw new CtlFailure('--host needs an address, such as 127.0.0.1', EXIT_USAGE);
        const stateDir = resolveStateDir(options, ctl);
        const { startTraceServer } = await import('../serve/trace-server.ts');
        // A damaged file is reported once, not on every read of the store.
        const warned = new Set<string>();
        const warn = (message: string): void => {
          if (warned.has(message)) return;
          warned.add(message);
          warnOnStderr(message);
        };
        let server: Awaited<ReturnType<typeof startTraceServer>>;
        try {
          server = await startTraceServer({ stateDir, host, port, warn });
        } catch (error) {
          throw listenFailure(error, host, port);
        }
        process.stdout.write(`serving ${stateDir} at ${server.url}\n`);
        if (!isLoopback(host)) warnOnStderr(`listening on ${host}: other machines can reach the API (with the token)`);
        if (options.open) await openInBrowser(server.url);
        await new Promise<void>((resolve) => {
          const stop = (): void => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            void server.close().then(resolve);
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
        return 0;
      }),
    );
  usageErrorsExitTwo(command);
}
