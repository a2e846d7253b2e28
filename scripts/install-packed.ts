// Installs the package the way users get it, for the end-to-end tests (test/e2e/): packs the
// built project with `npm pack`, installs the tarball globally into a prefix of its own
// (test/.installed/global: bin/claude-otel, bin/claude-otel-ctl) and as a dependency of an
// empty project (test/.installed/project, for the library). Runs once, before the test
// runner, so that every e2e file shares one install. `npm run build` must have run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const installed = join(root, 'test', '.installed');
const global = join(installed, 'global');
const project = join(installed, 'project');
/** Dependencies come from npm's cache when it has them; nothing is sent to the registry's audit or funding endpoints. */
const INSTALL_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund'];

function npm(args: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const fail = (status: string) => {
      process.stderr.write(`install-packed: npm ${args.join(' ')} failed (${status})\n${stderr}`);
      process.exit(1);
    };
    child.on('error', (error) => fail(error.message));
    child.on('close', (code, signal) => (code === 0 ? resolve({ stdout, stderr }) : fail(`exit ${code ?? signal}`)));
  });
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
writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'library-user', private: true }, null, 2)}\n`);
// The two installs side by side: each spends most of its time waiting on its own files.
const [globalInstall] = await Promise.all([
  npm(['install', '--global', '--prefix', global, tarball, ...INSTALL_FLAGS], installed),
  npm(['install', tarball, ...INSTALL_FLAGS], project),
]);
// What npm printed while installing, for the tests that check it warns about nothing of ours.
writeFileSync(join(installed, 'install-global.log'), `${globalInstall.stdout}${globalInstall.stderr}`);
writeFileSync(join(installed, 'installed.json'), `${JSON.stringify({ tarball, global, project }, null, 2)}\n`);
