// What looks like `secret-name: value` but is ordinary work: a file position or a message about a
// file (`src/auth/session.ts:14`, `auth.py: No such file`), and a package version
// (`google-auth==2.35.0`, `"jsonwebtoken": "^9.0.2"`). Both are kept even though their names hold
// a secret word.

/** Extensions of source, text and configuration files. Key files (.key, .pem, .p12, ...) are not here. */
const FILE_EXTENSIONS = new Set(
  (
    'ts tsx mts cts js jsx mjs cjs py pyi rb go rs java kt kts scala groovy c h cc cpp cxx hpp hh cs fs php swift m mm ' +
    'dart ex exs erl hrl hs ml mli lua pl pm r jl clj cljs elm vue svelte astro sh bash zsh fish ps1 bat cmd sql ' +
    'json jsonc json5 yaml yml toml ini cfg conf xml html htm css scss sass less md mdx txt rst adoc csv tsv log lock ' +
    'gradle tf tfvars hcl proto graphql gql ipynb properties snap'
  ).split(' '),
);

/** `session.ts`, `auth.py`, `secrets.yml`: a file name, whose `:` starts a position or a message. */
export function isFileName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && FILE_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

/**
 * A version or version requirement: 2.35.0, ^9.0.2, ~1.18.0, >=1.7.4, 1.0.0-rc.1, 2.35.0rc1, 1.x.
 * At least two numbers: a lone `9` could be a PIN.
 */
const VERSION = /^(?:==|~=|>=|<=|!=|[~^<>=])?v?\d{1,9}(?:\.(?:\d{1,9}|[x*]))+(?:(?:a|b|rc|dev|post|alpha|beta|pre)\d{0,9})?(?:[-+][0-9A-Za-z.-]{1,64})?$/;

export function isVersion(value: string): boolean {
  return value.length <= 100 && VERSION.test(value);
}
