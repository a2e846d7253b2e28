import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The bench's project directory is a git work tree, as most users' are: every measured run
// pays for reading the git context (which must never delay claude's spawn).

export function makeGitWorkTree(dir: string): void {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('remote', 'add', 'origin', 'https://example.invalid/bench/project.git');
  writeFileSync(join(dir, 'README.md'), 'bench\n');
  git('add', 'README.md');
  git('-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', 'commit', '-q', '-m', 'bench project');
}
