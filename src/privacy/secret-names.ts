// Which names say that their value is a secret: DB_PASS, STRIPE_KEY, apiKey, x-auth-token,
// session, Cookie. A name is split into words (separators and camelCase humps) and judged
// word by word, so the cost is linear in the name and "compass" is not a password.

import { PLAIN_VARIABLES } from './plain-variables.ts';

/** Words that make a name secret wherever they stand in it. */
const SECRET_WORD_PARTS = ['pwd', 'secret', 'credential', 'cookie', 'bearer', 'signature', 'sessid', 'privatekey', 'apikey', 'accesskey'];

/** Whole words that make a name secret. */
const SECRET_WORDS = new Set(['pw', 'auth', 'oauth', 'session', 'sessionid', 'sig', 'jwt', 'dsn', 'otp', 'mfa', 'totp']);

/** Words that contain "pass" and say nothing about a password. */
const NOT_PASS = new Set([
  'passed',
  'passes',
  'passing',
  'bypass',
  'bypassed',
  'compass',
  'passthrough',
  'passthru',
  'passage',
  'passenger',
  'passive',
  'encompass',
  'surpass',
  'passport',
  'passports',
  // Programs that ask for a password, not passwords: GIT_ASKPASS, SSH_ASKPASS.
  'askpass',
]);

/** A compound word about a password, not one: PGPASSFILE, TOX_TESTENV_PASSENV. */
const ABOUT_PASS_SUFFIX = /(?:file|env|path|dir)$/;

/** Words that contain "token" and name text processing, not a credential. */
const NOT_TOKEN = new Set(['tokenizer', 'tokenizers', 'tokenize', 'tokenized', 'tokenization', 'tokenise', 'tokeniser']);

/** A last word that names something about the secret, not the secret itself (--password-file). */
const ABOUT_THE_SECRET = new Set([
  'file',
  'path',
  'dir',
  'stdin',
  'env',
  'var',
  'length',
  'len',
  'type',
  'prompt',
  'hint',
  'policy',
  'mode',
  'count',
  'expiry',
  'expires',
  'ttl',
  'min',
  'max',
  'size',
  'limit',
  'timeout',
  'required',
  'changed',
  'field',
  'label',
  'placeholder',
  'pattern',
  'regex',
  'rules',
  'algorithm',
  'format',
  'cmd',
  'command',
  'helper',
  'manager',
  'url',
  'uri',
  'endpoint',
  'name',
  'names',
  'usage',
  'kind',
  'scope',
  'scopes',
  'id',
  'ids',
]);

/** Words before a final "key" that make it an index or a lookup key, not a credential. */
const NOT_A_CREDENTIAL_KEY = new Set([
  'primary',
  'foreign',
  'sort',
  'partition',
  'cache',
  'hash',
  'range',
  'composite',
  'unique',
  'lookup',
  'map',
  'dict',
  'group',
  'public',
  'pub',
  'idempotency',
  'row',
  'index',
  'object',
  'shard',
  'routing',
  'dedup',
  'dedupe',
  'cursor',
  'sorting',
  'react',
  'i18n',
  'translation',
  'registry',
  'host',
  'ssh',
]);

const MAX_NAME_LENGTH = 256;

/** Every secret word above contains one of these. */
const MAY_BE_SECRET = /pass|pw|pwd|tok|secret|cred|cookie|bearer|sig|sess|key|auth|jwt|dsn|otp|mfa/i;

/** The words of a name: `dbPassword_v2` → db, password, v2. */
export function nameWords(name: string): string[] {
  return name
    .slice(-MAX_NAME_LENGTH)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

function secretWord(word: string): boolean {
  if (SECRET_WORDS.has(word)) return true;
  if (word.includes('pass')) return !NOT_PASS.has(word) && !ABOUT_PASS_SUFFIX.test(word);
  if (word.includes('token')) return !NOT_TOKEN.has(word);
  for (const part of SECRET_WORD_PARTS) if (word.includes(part)) return true;
  // Compounds of "auth": BASICAUTH, TS_AUTHKEY (not author, authority).
  return word.endsWith('auth') || word === 'authkey';
}

export type NameVerdict = 'secret' | 'count' | 'plain';

/**
 * `secret` when the name says its value is one; `count` for token counts (input_tokens,
 * max_tokens), whose numbers stay readable; `plain` otherwise.
 */
export function judgeName(name: string): NameVerdict {
  if (PLAIN_VARIABLES.has(name)) return 'plain';
  // Most names hold none of the letters any secret word needs: one test instead of a split.
  if (!MAY_BE_SECRET.test(name.length > MAX_NAME_LENGTH ? name.slice(-MAX_NAME_LENGTH) : name)) return 'plain';
  const words = nameWords(name);
  const last = words[words.length - 1];
  if (last === undefined) return 'plain';
  if (words[0] === 'no' || words[0] === 'skip' || words[0] === 'ignore') return 'plain';
  if (words.length > 1 && ABOUT_THE_SECRET.has(last)) {
    // session_id and token_id are not about a secret: they are one.
    const before = words[words.length - 2] ?? '';
    if (!(last === 'id' && (before === 'session' || before === 'client'))) return 'plain';
  }
  if (words.includes('tokens')) return 'count';
  if (words.some(secretWord)) return 'secret';
  // *_KEY: a final "key" after another word (STRIPE_KEY, apiKey, AccountKey), unless an index.
  if ((last === 'key' || last === 'keys') && words.length > 1 && !NOT_A_CREDENTIAL_KEY.has(words[words.length - 2] ?? '')) return 'secret';
  return 'plain';
}

export function isSecretName(name: string): boolean {
  return judgeName(name) === 'secret';
}
