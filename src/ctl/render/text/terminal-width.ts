// How wide the terminal is: the columns stdout reports when it is one, else $COLUMNS (a shell
// exports it to pipes only when asked, and a user may set it); undefined when neither says.

export function terminalColumns(stdout: { isTTY?: boolean; columns?: number }, env: Record<string, string | undefined>): number | undefined {
  if (stdout.isTTY === true && typeof stdout.columns === 'number' && stdout.columns > 0) return stdout.columns;
  const fromEnv = Number(env.COLUMNS?.trim());
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined;
}
