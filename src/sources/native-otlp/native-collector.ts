import { startNativeReceiver } from './receiver.ts';
import type { NativeReceiver } from './receiver.ts';
import { nativeChildEnv } from './child-env.ts';
import type { NativeBatch } from './native-records.ts';
import { emptyBatch } from './native-records.ts';
import { parseBoolean } from '../../config/boolean-setting.ts';

// One run's share of Claude Code's own telemetry: the receiver, what it took and nobody has
// joined yet, and the wait for Claude's last export at exit. Started before claude, because
// claude's environment names the receiver; joined into the session as it is stored
// (src/telemetry/native/native-join.ts).

type Env = Record<string, string | undefined>;

export interface NativeNote {
  level: 'debug' | 'warn';
  message: string;
}

export class NativeCollector {
  private pending: NativeBatch = emptyBatch();
  /** Claude's spans arrived this run (the beta is on): a prompt's end is worth waiting for them. */
  private spansSeen = 0;
  /** Claude's spans so far, by name. */
  private readonly spansByName = new Map<string, number>();
  private waiters: (() => void)[] = [];
  /** Notes for the debug log, kept until it exists (the collector starts before the settings are read). */
  readonly notes: NativeNote[] = [];
  private refused = 0;
  /** claude was started with its spans on (the beta, an OTLP trace exporter): a prompt's spans are worth waiting for. */
  private expectSpans = false;
  private closed = false;

  private constructor(private readonly receiver: NativeReceiver) {}

  static async start(): Promise<NativeCollector> {
    let collector: NativeCollector | undefined;
    const receiver = await startNativeReceiver({
      onBatch: (_signal, batch) => collector?.add(batch),
      onRefused: (status, reason) => collector?.refusal(status, reason),
    });
    collector = new NativeCollector(receiver);
    return collector;
  }

  /** claude's environment, its own telemetry pointed here. `enable`: turned on by CLAUDE_OTEL_NATIVE=on. */
  childEnv(env: Env, enable: boolean): Env {
    const out = nativeChildEnv(env, this.receiver.endpoint, enable);
    this.expectSpans =
      parseBoolean(out.CLAUDE_CODE_ENHANCED_TELEMETRY_BETA) === true && (out.OTEL_TRACES_EXPORTER ?? '').split(',').some((e) => e.trim() === 'otlp');
    return out;
  }

  private add(batch: NativeBatch): void {
    this.notes.push({
      level: 'debug',
      message: `Claude Code sent ${batch.spans.length} spans (${batch.spans.map((s) => s.name).join(', ')}), ${batch.logs.length} log records, ${batch.metrics.length} metric points`,
    });
    this.pending.spans.push(...batch.spans);
    this.pending.logs.push(...batch.logs);
    this.pending.metrics.push(...batch.metrics);
    this.pending.skippedPoints += batch.skippedPoints;
    this.spansSeen += batch.spans.length;
    for (const span of batch.spans) this.spansByName.set(span.name, (this.spansByName.get(span.name) ?? 0) + 1);
    const ready = this.waiters;
    this.waiters = [];
    for (const resolve of ready) resolve();
  }

  private refusal(status: number, reason: string): void {
    this.refused += 1;
    // A flood of refusals must not fill the log.
    if (this.refused <= 5) this.notes.push({ level: 'warn', message: `refused a request to the receiver of Claude Code's telemetry (${status}): ${reason}` });
  }

  /** Everything received and not yet taken. */
  take(): NativeBatch {
    const batch = this.pending;
    this.pending = emptyBatch();
    return batch;
  }

  /** How many of Claude's spans named `name` arrived this run. */
  spanCount(name: string): number {
    return this.spansByName.get(name) ?? 0;
  }

  /** claude was started with its spans on (the beta, an OTLP trace exporter). */
  get expectsSpans(): boolean {
    return this.expectSpans;
  }

  /**
   * Waits, at most `budgetMs`, for what Claude is still sending: until `arrived` holds (checked
   * as each request is taken, and only once Claude's spans have been seen this run), then for
   * the requests being read. Claude exports before it exits, so after its exit this is the time
   * to read the last request. Whether `arrived` holds in the end.
   */
  async settle(budgetMs: number, arrived: () => boolean): Promise<boolean> {
    if (budgetMs <= 0) return arrived();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, budgetMs);
      timer.unref();
    });
    const spansIn = async () => {
      while (this.spansSeen > 0 && !arrived() && !this.closed) await new Promise<void>((resolve) => this.waiters.push(resolve));
    };
    await Promise.race([timeout, spansIn().then(() => this.receiver.idle())]);
    if (timer) clearTimeout(timer);
    return arrived();
  }

  /** No more requests are taken: what arrives later is dropped. */
  close(): void {
    this.closed = true;
    this.receiver.close();
    for (const resolve of this.waiters) resolve();
    this.waiters = [];
  }
}
