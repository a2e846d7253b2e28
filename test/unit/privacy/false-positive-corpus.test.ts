import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { redactorFor, REDACTED, secretValuesFromEnv } from '../../../src/privacy/redact.ts';

// The false-positive side of the secrets corpus: ordinary commands and outputs (paths under the
// working directory, file positions, package versions, hashes, UUIDs, image tags, the word
// "password" in a grep) come out unchanged, with the environment of a login shell and a CI runner
// (PWD, OLDPWD, SSH_AUTH_SOCK, GITHUB_WORKSPACE, ...) in the redactor, as the wrapper builds it.

interface Entry {
  kind: string;
  text: string;
}

const corpus = JSON.parse(readFileSync(new URL('../../fixtures/secrets/ordinary.json', import.meta.url), 'utf8')) as {
  environment: Record<string, string>;
  entries: Entry[];
};
const redact = redactorFor({ extraRedactPatterns: '', redactAllowPatterns: '', redactEntropy: false }, secretValuesFromEnv(corpus.environment));

for (const [i, entry] of corpus.entries.entries()) {
  test(`ordinary ${i} (${entry.kind}): unchanged`, () => {
    assert.equal(redact(entry.text), entry.text);
  });
}

test('the secrets of the same environment are still hidden wherever they appear', () => {
  const env = corpus.environment;
  for (const name of ['GITHUB_TOKEN', 'DEPLOY_TOKEN', 'MYSQL_PWD', 'TS_AUTHKEY']) {
    const value = env[name] ?? '';
    assert.equal(redact(`printed ${value} here`), `printed ${REDACTED} here`, name);
  }
});
