import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRedactor } from '../../../src/privacy/redact.ts';

// Every fake credential of the corpus, inside ordinary text: the credential goes, the text stays.

interface Entry {
  family: string;
  text: string;
  expected: string;
}

const corpus = JSON.parse(readFileSync(new URL('../../fixtures/secrets/corpus.json', import.meta.url), 'utf8')) as { entries: Entry[] };
const redact = createRedactor();

test('the corpus covers every family the documentation lists', () => {
  const families = new Set(corpus.entries.map((e) => e.family));
  for (const family of [
    'anthropic-api-key',
    'openai-api-key',
    'aws-access-token',
    'github-pat',
    'gitlab-pat',
    'slack-bot-token',
    'slack-webhook-url',
    'stripe-access-token',
    'npm-access-token',
    'pypi-upload-token',
    'huggingface-access-token',
    'sendgrid-api-token',
    'twilio-api-key',
    'databricks-api-token',
    'shopify-access-token',
    'atlassian-api-token',
    'azure-ad-client-secret',
    'discord-webhook',
    'telegram-bot-api-token',
    'vault-service-token',
    'digitalocean-pat',
    'grafana-service-account-token',
    'google-oauth-access-token',
    'google-oauth-client-secret',
    'gcp-api-key',
    'sentry-dsn',
    'jwt',
    'private-key',
    'age-secret-key',
    'authorization-header',
    'cookie-header',
    'quoted-value',
    'tool-password-option',
    'password-flag',
    'curl-auth-user',
    'netrc-password',
    'url-userinfo',
    'secret-name',
    'aws-configure-set',
    'npm-config-set',
    'kubeconfig-client-key-data',
    'line-continuation',
    'wrapped-bearer-token',
    'gh-secret-set',
    'htpasswd-batch',
    'sudo-stdin',
    'pgpass-line',
  ]) {
    assert.ok(families.has(family), `no corpus entry for ${family}`);
  }
});

for (const [i, entry] of corpus.entries.entries()) {
  test(`corpus ${i} (${entry.family}): redacted, the text around it kept`, () => {
    assert.equal(redact(entry.text), entry.expected);
  });
}
