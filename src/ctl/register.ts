import type { Command } from 'commander';
import { registerSessionsCommand } from './commands/sessions-command.ts';
import { registerShowCommand } from './commands/show-command.ts';
import { registerStatsCommand } from './commands/stats-command.ts';
import { registerReportCommand } from './commands/report-command.ts';
import { registerReplayCommand } from './commands/replay-command.ts';
import { registerPruneCommand } from './commands/prune-command.ts';
import { registerDoctorCommand } from './commands/doctor-command.ts';
import { registerImportCommand } from './commands/import-command.ts';

// Every sub-command of claude-otel-ctl registers itself here. A command reports its exit
// code through `setExitCode`; an error it cannot handle becomes a one-line message.

export type { SetExitCode } from './commands/command-context.ts';
import type { SetExitCode } from './commands/command-context.ts';

export function registerCtlCommands(program: Command, setExitCode: SetExitCode): void {
  registerSessionsCommand(program, setExitCode);
  registerShowCommand(program, setExitCode);
  registerStatsCommand(program, setExitCode);
  registerReportCommand(program, setExitCode);
  registerReplayCommand(program, setExitCode);
  registerPruneCommand(program, setExitCode);
  registerImportCommand(program, setExitCode);
  registerDoctorCommand(program, setExitCode);
}
