// One rule for every on/off setting, so that no variable accepts a spelling another refuses:
// 1, true, yes, on mean on; 0, false, no, off mean off (any case, surrounding spaces ignored).
// Unset or empty means the default; any other value is reported and means the default too.

type Env = Record<string, string | undefined>;

const ON = ['1', 'true', 'yes', 'on'];
const OFF = ['0', 'false', 'no', 'off'];

/** The value of `raw` under the rule, or undefined when it is unset, empty or not a boolean. */
export function parseBoolean(raw: string | undefined): boolean | undefined {
  const value = raw?.trim().toLowerCase();
  if (!value) return undefined;
  if (ON.includes(value)) return true;
  if (OFF.includes(value)) return false;
  return undefined;
}

/** The setting `name` of `env`; `fallback` when unset, and with a warning when unreadable. */
export function booleanSetting(env: Env, name: string, fallback: boolean, warnings: string[]): boolean {
  const raw = env[name];
  const value = parseBoolean(raw);
  if (value !== undefined) return value;
  if (raw?.trim()) warnings.push(`${name}=${raw.trim()} is not on or off (1/true/yes/on, 0/false/no/off); using ${fallback ? 'on' : 'off'}`);
  return fallback;
}
