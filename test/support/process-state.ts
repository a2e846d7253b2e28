import { readFileSync } from 'node:fs';

/** Whether process `pid` has ended: gone, or a zombie its parent has not reaped yet (Linux). */
function processEnded(pid: string): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return true;
  }
  // The state follows the command name, which is in parentheses and may hold any character.
  const state = stat.replace(/^.*\) /s, '')[0];
  return state === 'Z' || state === 'X';
}

/**
 * Resolves true once process `pid` has ended, false if it still runs after `withinMs`. A
 * process killed with SIGKILL ends when the kernel next schedules it, a moment after the kill
 * returned; and no event tells a process that is not its parent of that, so /proc is looked at
 * every few milliseconds.
 */
export function processEnds(pid: string, withinMs = 5000): Promise<boolean> {
  if (!/^[1-9]\d*$/.test(pid)) throw new Error(`not a pid: "${pid}"`);
  const until = Date.now() + withinMs;
  return new Promise((resolve) => {
    const look = () => {
      if (processEnded(pid)) resolve(true);
      else if (Date.now() >= until) resolve(false);
      else setTimeout(look, 10);
    };
    look();
  });
}
