// A `claude` on PATH that is really this wrapper (a shim script that execs it under another
// name, a link or a copy) would make the wrapper start itself, again and again. The wrapper
// marks the environment of every claude it starts with CLAUDE_OTEL_DEPTH=<depth>:<pid>: how
// many wrappers run above it, and its own pid. A wrapper whose parent process is the pid in
// the marker was started by a wrapper directly (an exec'ing shim keeps the pid of the process
// the wrapper started): that is the loop. A wrapper started by claude's tools (a nested
// session, legitimately) has claude as its parent, or a shell claude started. A shim that
// runs the wrapper as a child of its own shell escapes that test: the depth stops it.

export const LOOP_MARKER = 'CLAUDE_OTEL_DEPTH';
/** More nested wrappers than this is a loop: sessions nested this deep by hand are not a thing. */
export const MAX_DEPTH = 6;

type Env = Record<string, string | undefined>;

interface Marker {
  depth: number;
  pid: number;
}

/** The marker in `env`; a value not of its form counts as none (it is outside data). */
function markerOf(env: Env): Marker | undefined {
  const match = /^(\d{1,6}):(\d{1,10})$/.exec(env[LOOP_MARKER]?.trim() ?? '');
  if (!match) return undefined;
  return { depth: Number(match[1]), pid: Number(match[2]) };
}

/** The environment for a claude this process starts: `env` with the marker set for it. */
export function withLoopMarker(env: Env, pid: number = process.pid): Env {
  const depth = (markerOf(env)?.depth ?? 0) + 1;
  return { ...env, [LOOP_MARKER]: `${depth}:${pid}` };
}

/** Why this wrapper is running itself, or undefined when it is not. */
export function wrapperLoop(env: Env, parentPid: number = process.ppid): string | undefined {
  const marker = markerOf(env);
  if (!marker) return undefined;
  const fix = 'set CLAUDE_OTEL_CLAUDE_BIN to the real claude';
  if (marker.pid === parentPid) return `the claude that claude-otel started is claude-otel again (a shim, link or copy named claude on PATH?); ${fix}`;
  if (marker.depth >= MAX_DEPTH) return `${marker.depth} claude-otel runs inside each other: the claude it starts seems to start claude-otel again; ${fix}`;
  return undefined;
}
