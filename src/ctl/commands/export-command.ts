import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { writePrivateFile } from '../../private-files.ts';
import type { SetExitCode } from './command-context.ts';
import {
  EXIT_CODES_HELP,
  STATE_DIR_HELP,
  noSessionsMessage,
  openStore,
  runAction,
  stdoutWritten,
  usageErrorsExitTwo,
  warnOnStderr,
} from './command-context.ts';
import type { StoreOptions } from './command-context.ts';
import { CtlFailure, EXIT_NOT_FOUND, EXIT_USAGE } from '../ctl-failure.ts';
import { fileWriteReason } from '../render/file-write-failure.ts';
import { findSession } from '../views/session-lookup.ts';
import type { SessionRecord } from '../views/session-record.ts';
import { sessionsAsOtlpJson } from '../views/session-otlp.ts';
import type { CtlEnvironment } from '../ctl-environment.ts';

// `claude-otel-ctl export <session...> --otlp-json <file>`: sessions as one OTLP JSON trace
// request, for Jaeger, otel-tui and any other viewer that imports OTLP.

interface ExportOptions extends StoreOptions {
  otlpJson?: string;
}

export function registerExportCommand(program: Command, setExitCode: SetExitCode, ctl: CtlEnvironment): void {
  const command = program
    .command('export')
    .description('Write sessions as OTLP JSON, for other OpenTelemetry tools')
    .argument('<session...>', 'sessions to write (session ids or prefixes, each its newest run; run ids; or "last")')
    .usage('<session...> --otlp-json <file>')
    .option('--otlp-json <file>', 'the file to write (required; - writes to stdout)')
    .option('--state-dir <dir>', STATE_DIR_HELP)
    .addHelpText(
      'after',
      `
The file is one OTLP JSON trace export request, {"resourceSpans": [...]}, with the spans as the
wrapper stored them: the bytes claude-otel-ctl serve answers on /api/traces/<id>/spans. A tool
that reads OTLP JSON opens it; an OTLP collector takes it as the body of POST /v1/traces
(Content-Type: application/json), on its way to Jaeger, otel-tui or any other backend.
${EXIT_CODES_HELP}`,
    )
    .action((queries: string[], options: ExportOptions) =>
      runAction(setExitCode, async () => {
        const target = options.otlpJson?.trim();
        if (!target) throw new CtlFailure('export needs --otlp-json <file>: the file to write (- for stdout)', EXIT_USAGE);
        const store = openStore(options, ctl);
        const all = store.sessions();
        const picked = new Map<string, SessionRecord>();
        for (const query of queries) {
          if (all.length === 0) throw new CtlFailure(`no session matches "${query}": ${noSessionsMessage(store.stateDir)}`, EXIT_NOT_FOUND);
          const found = findSession(all, query);
          picked.set(found.runId, found);
        }
        const sessions = [...picked.values()];
        const json = sessionsAsOtlpJson(sessions, warnOnStderr);
        const summary = `${sessions.length} session${sessions.length === 1 ? '' : 's'}, ${sessions.reduce((n, s) => n + store.spans(s).length, 0)} spans`;
        if (target === '-') {
          process.stdout.write(json);
          // Said only once stdout took it all; runAction reports a failed write.
          if (!(await stdoutWritten())) return 0;
          process.stderr.write(`claude-otel-ctl: wrote OTLP JSON to stdout: ${summary}\n`);
          return 0;
        }
        try {
          // A file the user already has keeps its mode; a new one is theirs alone.
          if (existsSync(target)) writeFileSync(target, json);
          else writePrivateFile(target, json);
        } catch (error) {
          throw new CtlFailure(`cannot write ${target}: ${fileWriteReason(error)}`, EXIT_NOT_FOUND);
        }
        process.stdout.write(`wrote ${target}: ${summary}\n`);
        return 0;
      }),
    );
  usageErrorsExitTwo(command);
}
