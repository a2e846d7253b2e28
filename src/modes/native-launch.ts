import { nativeSetting } from '../config/native-config.ts';
import { parseBoolean } from '../config/boolean-setting.ts';
import type { NativeCollector } from '../sources/native-otlp/native-collector.ts';

// Before claude starts: whether its own telemetry goes through the wrapper this run, and if
// so the receiver it is pointed at. Only the setting is read when it does not apply; the
// receiver loads only when it does. A receiver that cannot start leaves claude's environment
// as the user gave it (today's behaviour).

type Env = Record<string, string | undefined>;

export interface NativeLaunch {
  collector: NativeCollector;
  /** claude's environment with its own telemetry pointed at the receiver. */
  env: Env;
}

/** `claudeEnv`: claude's environment as it would be without the join. */
export async function launchNative(userEnv: Env, claudeEnv: Env): Promise<NativeLaunch | undefined> {
  const setting = nativeSetting(userEnv, []);
  if (setting === 'off') return undefined;
  const userEnabled = parseBoolean(userEnv.CLAUDE_CODE_ENABLE_TELEMETRY) === true;
  if (setting === 'auto' && !userEnabled) return undefined;
  try {
    const { NativeCollector } = await import('../sources/native-otlp/native-collector.ts');
    const collector = await NativeCollector.start();
    return { collector, env: collector.childEnv(claudeEnv, !userEnabled) };
  } catch {
    return undefined;
  }
}
