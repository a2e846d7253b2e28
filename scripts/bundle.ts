// Bundles the two commands into dist/bundle/: one module graph instead of hundreds of
// files cuts the wrapper's start-up (the time claude waits for it) by about 70 ms. Code
// the commands import lazily (the telemetry SDK, the exporters) stays in separate chunks,
// loaded only once claude is running.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import type { BuildOptions, Plugin } from 'esbuild';

// Chunk names carry content hashes: start empty so that old chunks do not pile up.
rmSync('dist/bundle', { recursive: true, force: true });
rmSync('dist/lib', { recursive: true, force: true });

const common: BuildOptions = {
  outdir: 'dist/bundle',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  mainFields: ['module', 'main'],
  external: ['@grpc/proto-loader'],
  sourcemap: false,
  logLevel: 'warning',
  // Some dependencies are CommonJS and call require(); give them one in the ES module output.
  banner: { js: "import { createRequire as __claudeOtelRequire } from 'node:module'; const require = __claudeOtelRequire(import.meta.url);" },
};

// What the wrapper loads once claude is started, and the ctl command: shared code in chunks.
await build({
  ...common,
  entryPoints: {
    'claude-otel-ctl': 'src/cli/claude-otel-ctl.ts',
    'recorded-session': 'src/cli/recorded-session.ts',
    'native-collector': 'src/sources/native-otlp/native-collector.ts',
  },
  splitting: true,
});

/** The wrapper's entry imports the recording lazily: that stays a separate module, built above. */
const recordedSessionApart: Plugin = {
  name: 'recorded-session-apart',
  setup(plugin) {
    plugin.onResolve({ filter: /^\.\/recorded-session\.ts$/ }, () => ({ path: './recorded-session.js', external: true }));
    // The receiver of Claude Code's own telemetry loads only when it applies (native-launch.ts).
    plugin.onResolve({ filter: /\/native-otlp\/native-collector\.ts$/ }, () => ({ path: './native-collector.js', external: true }));
  },
};

// Everything claude waits for, in one file: node's loader pays for each module it loads (about
// 0.7 ms each), so the few modules the wrapper needs before spawning are not split into chunks.
// They are small, and also in the chunks above, as a second copy that keeps no state of its own.
await build({
  ...common,
  entryPoints: { 'claude-otel': 'src/cli/claude-otel.ts' },
  splitting: false,
  plugins: [recordedSessionApart],
});

// The library (`import` and `require` of 'claude-otel'), for plain Node with nothing but the
// package's dependencies installed. The OpenTelemetry API stays outside: a host program that
// registers its own providers must share the one copy of the API with the library.
const library: BuildOptions = {
  ...common,
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist/lib',
  external: [...(common.external ?? []), '@opentelemetry/api', '@opentelemetry/api-logs'],
};
await build({ ...library, splitting: true, chunkNames: 'chunk-[hash]' });
// For require(): CommonJS, so that it loads on every Node 20 (require() of an ES module needs
// 20.19 or later). The code reads import.meta.url to find its own package; CommonJS has
// __filename instead.
await build({
  ...library,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  banner: { js: "const __claudeOtelImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__claudeOtelImportMetaUrl' },
});

// require()'s types: TypeScript does not let a CommonJS file take an ES module's declarations, so
// the library's declarations (written by tsc before this script) get CommonJS copies, .d.cts.
writeFileSync('dist/lib/api.d.cts', readFileSync('dist/api.d.ts', 'utf8'));
writeFileSync('dist/lib/index.d.cts', readFileSync('dist/index.d.ts', 'utf8').replace(/(['"])\.\/api\.(?:ts|js)\1/g, "'./api.cjs'"));
