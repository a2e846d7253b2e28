import { basename } from 'node:path';

// The `origin` remote as the semantic conventions want `vcs.repository.url.full`: a URL a
// browser can open, without credentials, without the `.git` extension. Remotes reached over
// ssh (`ssh://git@host/org/repo.git`, `git@host:org/repo.git`) and `git://` become
// `https://host/org/repo`; a remote that is a local path has no such URL.

export interface RemoteIdentity {
  url?: string;
  name?: string;
}

const SCP_LIKE = /^(?:[^@/\s]+@)?([A-Za-z0-9.-]+):(?!\/\/)(.+)$/;

function withoutGitSuffix(path: string): string {
  return path.replace(/\/+$/, '').replace(/\.git$/, '');
}

function nameOf(path: string): string | undefined {
  const name = withoutGitSuffix(path).split('/').filter(Boolean).pop();
  return name ? decodeURIComponentSafe(name) : undefined;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function remoteIdentity(remote: string): RemoteIdentity {
  const raw = remote.trim();
  if (!raw) return {};
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(raw)?.[1]?.toLowerCase();
  if (scheme) {
    if (scheme === 'file') return withName({}, raw.slice('file://'.length));
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      return {};
    }
    const path = withoutGitSuffix(parsed.pathname);
    const host = scheme === 'http' || scheme === 'https' ? parsed.host : parsed.hostname;
    // The query and fragment go too: access tokens travel there as well as in the userinfo.
    const url = `${scheme === 'http' ? 'http' : 'https'}://${host}${path}`;
    return withName({ url }, path);
  }
  const scp = SCP_LIKE.exec(raw);
  // A Windows drive (`C:\repo`) or a relative path is not a host.
  if (scp?.[1] && scp[2] && scp[1].length > 1) {
    const path = withoutGitSuffix(scp[2].replace(/^\/*/, '/'));
    return withName({ url: `https://${scp[1]}${path}` }, path);
  }
  return withName({}, raw);
}

function withName(identity: RemoteIdentity, path: string): RemoteIdentity {
  const name = nameOf(path);
  return name ? { ...identity, name } : identity;
}

/** Without a remote, the repository is named after the main work tree's directory. */
export function nameFromDirectory(dir: string): string | undefined {
  const name = basename(dir);
  return name && name !== '/' ? name : undefined;
}
