import type { Command } from 'commander';

// Every sub-command of claude-otel-ctl registers itself here. A command reports its exit
// code through `setExitCode`; an error it cannot handle becomes a one-line message.

export type SetExitCode = (code: number) => void;

export function registerCtlCommands(program: Command, setExitCode: SetExitCode): void {
  void program;
  void setExitCode;
}
