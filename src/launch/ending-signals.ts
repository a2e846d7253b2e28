import { constants } from 'node:os';

// The signals the wrapper passes on to claude and holds while the session is stored: those whose
// default action would end the wrapper and that a listener can catch. Left out: SIGKILL and SIGSTOP
// (no listener), the job-control and SIGCHLD/SIGWINCH signals (they end nothing), SIGPIPE and
// SIGXFSZ (Node ignores them, and they report the wrapper's own writes), the faults (SIGSEGV,
// SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT, SIGSYS: the wrapper's own failure), and SIGPROF (V8's
// CPU profiler samples with it: caught, each sample would go to claude).
// SIGUSR1 above all: with no listener, Node opens its inspector on it, a debugger any local
// process could attach to, in a process that holds the OTLP headers and claude's environment.
const CANDIDATES: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGALRM', 'SIGVTALRM', 'SIGXCPU', 'SIGPWR'];

/** Those of them this platform has. */
export const ENDING_SIGNALS: readonly NodeJS.Signals[] = CANDIDATES.filter((signal) => Object.hasOwn(constants.signals, signal));
