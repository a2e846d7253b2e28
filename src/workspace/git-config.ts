// The few settings read from a repository's `config` file: git's INI-like syntax, with
// case-insensitive section and key names, case-sensitive subsection names, quoted values,
// `#`/`;` comments and backslash escapes. Includes are not followed.

export interface GitConfigEntry {
  /** `remote.origin.url`: section and key lower-cased, the subsection as written. */
  name: string;
  value: string;
}

function unquote(raw: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i += 1) {
    const c = raw[i];
    if (c === '"') quoted = !quoted;
    else if (c === '\\' && i + 1 < raw.length) {
      const next = raw[++i];
      out += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'b' ? '\b' : next;
    } else if (!quoted && (c === '#' || c === ';')) break;
    else out += c;
  }
  return out.trim();
}

export function parseGitConfig(text: string): GitConfigEntry[] {
  const entries: GitConfigEntry[] = [];
  let section = '';
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]\s*(.*)$/.exec(line);
    if (header) {
      const [, name = '', sub] = header;
      // `[remote.origin]` is the old spelling of `[remote "origin"]`.
      const dot = name.indexOf('.');
      section =
        sub !== undefined
          ? `${name.toLowerCase()}.${sub.replace(/\\(.)/g, '$1')}`
          : dot >= 0
            ? `${name.slice(0, dot).toLowerCase()}.${name.slice(dot + 1)}`
            : name.toLowerCase();
      const rest = header[3]?.trim();
      if (!rest) continue;
      const inline = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$/.exec(rest);
      if (inline?.[1]) entries.push({ name: `${section}.${inline[1].toLowerCase()}`, value: inline[2] === undefined ? 'true' : unquote(inline[2]) });
      continue;
    }
    const entry = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$/.exec(line);
    if (entry?.[1] && section) entries.push({ name: `${section}.${entry[1].toLowerCase()}`, value: entry[2] === undefined ? 'true' : unquote(entry[2]) });
  }
  return entries;
}

/** The last value of `name` (git's rule for single-valued settings). */
export function configValue(entries: GitConfigEntry[], name: string): string | undefined {
  let value: string | undefined;
  for (const entry of entries) if (entry.name === name) value = entry.value;
  return value;
}
