import type { Command } from 'commander';
import { registerSessionsCommand } from './commands/sessions-command.ts';
import { registerShowCommand } from './commands/show-command.ts';
import { registerStatsCommand } from './commands/stats-command.ts';
import { registerReportCommand } from './commands/report-command.ts';
import { registerReplayCommand } from './commands/replay-command.ts';
import { registerPruneCommand } from './commands/prune-command.ts';
import { registerDoctorCommand } from './commands/doctor-command.ts';
import { registerExportCommand } from './commands/export-command.ts';
import { registerServeCommand } from './commands/serve-command.ts';
import { registerImportCommand } from './commands/import-command.ts';

// Every sub-command of claude-otel-ctl registers itself here. A command reports its exit
// code through `setExitCode`; an error it cannot handle becomes a one-line message.

export type { SetExitCode } from './commands/command-context.ts';
import type { SetExitCode } from './commands/command-context.ts';
import type { CtlEnvironment } from './ctl-environment.ts';

export function registerCtlCommands(program: Command, setExitCode: SetExitCode, ctl: CtlEnvironment): void {
  registerSessionsCommand(program, setExitCode, ctl);
  registerShowCommand(program, setExitCode, ctl);
  registerStatsCommand(program, setExitCode, ctl);
  registerReportCommand(program, setExitCode, ctl);
  registerExportCommand(program, setExitCode, ctl);
  registerServeCommand(program, setExitCode, ctl);
  registerReplayCommand(program, setExitCode, ctl);
  registerPruneCommand(program, setExitCode, ctl);
  registerImportCommand(program, setExitCode, ctl);
  registerDoctorCommand(program, setExitCode, ctl);
}
