import { booleanSetting } from './boolean-setting.ts';

// OTEL_SDK_DISABLED on its own: the command reads it before starting claude (a disabled
// wrapper passes everything through), the other settings only once claude runs.

type Env = Record<string, string | undefined>;

export function sdkDisabledSetting(env: Env, warnings: string[]): boolean {
  return booleanSetting(env, 'OTEL_SDK_DISABLED', false, warnings);
}
