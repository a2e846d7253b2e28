// Installs the package the way users get it, for the end-to-end tests (test/e2e/): packs the
// built project with `npm pack`, installs the tarball globally into a prefix of its own
// (test/.installed/global: bin/claude-otel, bin/claude-otel-ctl) and as a dependency of an
// empty project (test/.installed/project, for the library). Runs once, before the test
// runner, so that every e2e file shares one install. `npm run build` must have run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const installed = join(root, 'test', '.installed');
const global = join(installed, 'global');
const project = join(installed, 'project');
/** Dependencies come from npm's cache when it has them; nothing is sent to the registry's audit or funding endpoints. */
const INSTALL_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund'];

function npm(args: string[], cwd: string): { stdout: string; stderr: string } {
  const run = spawnSync('npm', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) {
    process.stderr.write(`install-packed: npm ${args.join(' ')} failed (exit ${run.status ?? run.signal})\n${run.stderr}`);
    process.exit(1);
  }
  return { stdout: run.stdout, stderr: run.stderr };
}

if (!existsSync(join(root, 'dist', 'lib', 'index.js')) || !existsSync(join(root, 'dist', 'bundle', 'claude-otel.js'))) {
  process.stderr.write('install-packed: dist/ is not built; run `npm run build` first\n');
  process.exit(1);
}

rmSync(installed, { recursive: true, force: true });
mkdirSync(project, { recursive: true });
// The build has just run: packing skips the prepack build, and does the rest of what the pack
// scripts do (the manifest without `prepare`) itself.
const packManifest = (step: 'strip' | 'restore') =>
  spawnSync(process.execPath, [join(root, 'scripts', 'pack-manifest.mjs'), step], { cwd: root, stdio: 'inherit' });
packManifest('strip');
const pack = spawnSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', installed], { cwd: root, encoding: 'utf8' });
packManifest('restore');
if (pack.status !== 0) {
  process.stderr.write(`install-packed: npm pack failed (exit ${pack.status ?? pack.signal})\n${pack.stderr}`);
  process.exit(1);
}
const tarball = join(installed, pack.stdout.trim());
// What npm printed while installing, for the tests that check it warns about nothing of ours.
const globalInstall = npm(['install', '--global', '--prefix', global, tarball, ...INSTALL_FLAGS], installed);
writeFileSync(join(installed, 'install-global.log'), `${globalInstall.stdout}${globalInstall.stderr}`);
writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'library-user', private: true }, null, 2)}\n`);
npm(['install', tarball, ...INSTALL_FLAGS], project);
writeFileSync(join(installed, 'installed.json'), `${JSON.stringify({ tarball, global, project }, null, 2)}\n`);
