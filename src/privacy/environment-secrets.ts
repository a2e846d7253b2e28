import { isSecretName } from './secret-names.ts';

// The values of the wrapper's environment variables whose names say they hold secrets
// (GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY, DB_PASS, OTEL_EXPORTER_OTLP_HEADERS, ...): if one shows
// up in a command's output or an error message, it is hidden even when no pattern knows its
// shape. The names are judged like every other name (src/privacy/secret-names.ts), so the
// variables every shell and CI runner sets (PWD, OLDPWD, SSH_AUTH_SOCK, GIT_AUTHOR_NAME,
// GITHUB_WORKSPACE, ...) keep their values readable: hiding PWD's value would hide the working
// directory in every path.

const MIN_SECRET_VALUE_LENGTH = 8;

/** OTEL_EXPORTER_OTLP_HEADERS and its per-signal forms: `key=value` pairs, one secret per value. */
const HEADER_LIST = /_HEADERS$/i;

export function secretValuesFromEnv(env: Record<string, string | undefined>): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    const isHeaderList = HEADER_LIST.test(name);
    if (!isHeaderList && !isSecretName(name)) continue;
    const parts = isHeaderList ? value.split(',').map((p) => p.slice(p.indexOf('=') + 1).trim()) : [value.trim()];
    for (const part of parts) if (part.length >= MIN_SECRET_VALUE_LENGTH) values.add(part);
  }
  return [...values].sort((a, b) => b.length - a.length);
}
