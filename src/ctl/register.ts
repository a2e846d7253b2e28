import type { Command } from 'commander';
import { registerSessionsCommand } from './sessions-command.ts';
import { registerShowCommand } from './show-command.ts';
import { registerStatsCommand } from './stats-command.ts';
import { registerReportCommand } from './report-command.ts';
import { registerReplayCommand } from './replay-command.ts';
import { registerPruneCommand } from './prune-command.ts';
import { registerDoctorCommand } from './doctor-command.ts';

// Every sub-command of claude-otel-ctl registers itself here. A command reports its exit
// code through `setExitCode`; an error it cannot handle becomes a one-line message.

export type { SetExitCode } from './command-context.ts';
import type { SetExitCode } from './command-context.ts';

export function registerCtlCommands(program: Command, setExitCode: SetExitCode): void {
  registerSessionsCommand(program, setExitCode);
  registerShowCommand(program, setExitCode);
  registerStatsCommand(program, setExitCode);
  registerReportCommand(program, setExitCode);
  registerReplayCommand(program, setExitCode);
  registerPruneCommand(program, setExitCode);
  registerDoctorCommand(program, setExitCode);
}
