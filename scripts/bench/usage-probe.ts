import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// The wrapper's own CPU time and peak RSS, read inside it as it exits: a module preloaded with
// `node --import` writes them (this process only, not claude) and, where /proc exists, the CPU
// of the children it waited for (claude and its tools) to $BENCH_USAGE_FILE. A node flag rather
// than NODE_OPTIONS, so that claude's environment stays as it was.
// Peak RSS is /proc/self/status VmHWM where there is one: getrusage's maxrss also counts the
// forked copy of the parent before exec (Linux keeps the old mm's peak), so a child of a large
// harness would report the harness's size.

export interface ProcessUsage {
  cpuMs: number;
  maxRssKb: number;
  /** CPU of the children the process waited for, at clock-tick resolution; Linux only. */
  childCpuMs?: number;
}

const PROBE_SOURCE = `import { readFileSync, writeFileSync } from 'node:fs';
const out = process.env.BENCH_USAGE_FILE;
const ticks = Number(process.env.BENCH_CLK_TCK || '100');
if (out) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const record = { cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssKb: usage.maxRSS };
    try {
      const hwm = /^VmHWM:\\s+(\\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
      if (hwm) record.maxRssKb = Number(hwm[1]);
    } catch {}
    try {
      const stat = readFileSync('/proc/self/stat', 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      record.childCpuMs = ((Number(fields[13]) + Number(fields[14])) * 1000) / ticks;
    } catch {}
    writeFileSync(out, JSON.stringify(record));
  });
}
`;

export interface UsageProbe {
  /** Node flags that load the probe. */
  nodeArgs: string[];
  /** Environment that makes the probe write into `file`. */
  env(file: string): Record<string, string>;
}

export async function installUsageProbe(dir: string): Promise<UsageProbe> {
  const path = join(dir, 'usage-probe.mjs');
  await writeFile(path, PROBE_SOURCE);
  const ticks = String(clockTicks());
  return {
    nodeArgs: [`--import=${pathToFileURL(path).href}`],
    env: (file) => ({ BENCH_USAGE_FILE: file, BENCH_CLK_TCK: ticks }),
  };
}

function clockTicks(): number {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
}

export async function readUsage(file: string): Promise<ProcessUsage | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const cpuMs: unknown = Reflect.get(value, 'cpuMs');
    const maxRssKb: unknown = Reflect.get(value, 'maxRssKb');
    const childCpuMs: unknown = Reflect.get(value, 'childCpuMs');
    if (typeof cpuMs !== 'number' || typeof maxRssKb !== 'number') return undefined;
    return { cpuMs, maxRssKb, ...(typeof childCpuMs === 'number' ? { childCpuMs } : {}) };
  } catch {
    return undefined;
  }
}
