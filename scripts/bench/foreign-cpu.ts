import { readFileSync } from 'node:fs';

// CPU time the rest of the machine used while the bench ran something: all busy time in
// /proc/stat minus this process's and its finished children's (/proc/self/stat). A round in
// which other work took a real share of the 2 cores says more about that work than about the
// wrapper, so such rounds are run again. Linux only; elsewhere nothing counts as disturbed.

const TICK_MS = 10;

function machineBusyTicks(): number | undefined {
  try {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: all but idle and iowait are work.
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return user + nice + system + irq + softirq + steal;
  } catch {
    return undefined;
  }
}

function ownTicks(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    // utime stime cutime cstime: fields 14-17, here 11-14 (the list starts at field 3).
    return (fields[11] ?? 0) + (fields[12] ?? 0) + (fields[13] ?? 0) + (fields[14] ?? 0);
  } catch {
    return undefined;
  }
}

/** Starts counting; the returned function gives the other processes' CPU ms since then. */
export function countForeignCpu(): () => number {
  const busy = machineBusyTicks();
  const own = ownTicks();
  return () => {
    const busyNow = machineBusyTicks();
    const ownNow = ownTicks();
    if (busy === undefined || own === undefined || busyNow === undefined || ownNow === undefined) return 0;
    return Math.max(0, (busyNow - busy - (ownNow - own)) * TICK_MS);
  };
}

/** More than a tenth of one core's time went to other work. */
export function disturbed(foreignCpuMs: number, wallMs: number): boolean {
  return foreignCpuMs > 0.1 * wallMs;
}
