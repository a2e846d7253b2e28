import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRedactor, secretValuesFromEnv, REDACTED } from '../../../src/privacy/redact.ts';
import { limitString } from '../../../src/privacy/attribute-limits.ts';

const redact = createRedactor();

const cases: [string, string, string][] = [
  ['Anthropic key', 'key sk-ant-api03-AbCdEfGhIjKlMnOpQrStUv-_123 end', `key ${REDACTED} end`],
  ['OpenAI key', 'OPENAI sk-proj-abcdefghijklmnopqrstuvwxyz123 end', `OPENAI ${REDACTED} end`],
  ['AWS access key id', 'id AKIAIOSFODNN7EXAMPLE end', `id ${REDACTED} end`],
  ['GitHub token', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789 end', `${REDACTED} end`],
  ['GitHub fine-grained token', 'github_pat_11ABCDEFG0abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH end', `${REDACTED} end`],
  ['GitLab token', 'glpat-abcdefghij1234567890 end', `${REDACTED} end`],
  ['Slack token', 'xoxb-12345-67890-abcdefghij end', `${REDACTED} end`],
  ['Google API key', 'AIzaSyA1234567890abcdefghijklmnopqrstuv end', `${REDACTED} end`],
  ['JWT', 'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U end', `jwt ${REDACTED} end`],
  ['Bearer', 'curl -H "Authorization: Bearer abc.def.ghi123456" x', `curl -H "Authorization: Bearer ${REDACTED}" x`],
  ['private key block', 'a\n-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\n-----END RSA PRIVATE KEY-----\nb', `a\n${REDACTED}\nb`],
  ['URL credentials', 'git clone https://user:hunter22@example.com/repo.git', `git clone https://user:${REDACTED}@example.com/repo.git`],
  ['KEY=value', 'GITHUB_TOKEN=abc123secret printf ok', `GITHUB_TOKEN=${REDACTED} printf ok`],
  ['--password value', 'mysql --password hunter2 -u root', `mysql --password ${REDACTED} -u root`],
  ['--api-key=value', 'tool --api-key=abc123 run', `tool --api-key=${REDACTED} run`],
  ['JSON secret field', '{"client_secret": "abc123456", "user": "bob"}', `{"client_secret": "${REDACTED}", "user": "bob"}`],
  ['db password', 'DB_PASSWORD=s3cr3t npm start', `DB_PASSWORD=${REDACTED} npm start`],
];

for (const [name, input, expected] of cases) {
  test(`redacts ${name}, keeping the text around it`, () => {
    assert.equal(redact(input), expected);
  });
}

test('leaves ordinary text alone', () => {
  for (const text of ['ls -la src', 'npm test -- --grep token handling', 'The password field is required.', 'sk-short', 'see https://example.com/path']) {
    assert.equal(redact(text), text);
  }
});

test('values of secret-named environment variables are hidden wherever they appear', () => {
  const values = secretValuesFromEnv({
    DEPLOY_TOKEN: 'plain-looking-value-42',
    PATH: '/usr/bin:/bin',
    OTEL_EXPORTER_OTLP_HEADERS: 'x-honeycomb-team=hc_abcdefgh12345',
    SHORT_TOKEN: 'abc',
  });
  assert.deepEqual(values.sort(), ['hc_abcdefgh12345', 'plain-looking-value-42']);
  const r = createRedactor({ secretValues: values });
  assert.equal(r('echo plain-looking-value-42 | tee x; team hc_abcdefgh12345'), `echo ${REDACTED} | tee x; team ${REDACTED}`);
});

test('the values of the variables shells and CI runners set are no secrets', () => {
  const values = secretValuesFromEnv({
    PWD: '/home/dev/shop-api',
    OLDPWD: '/home/dev',
    SSH_AUTH_SOCK: '/tmp/ssh-XXXXk3Jd/agent.4242',
    GIT_AUTHOR_NAME: 'Dana Developer',
    XAUTHORITY: '/home/dev/.Xauthority',
    GITHUB_WORKSPACE: '/home/runner/work/shop-api/shop-api',
    PGPASSFILE: '/home/dev/.pgpass',
    DEPLOY_TOKEN: 'plain-looking-value-42',
    MYSQL_PWD: 'mysqlEXAMPLEpw',
  });
  assert.deepEqual(values.sort(), ['mysqlEXAMPLEpw', 'plain-looking-value-42']);
});

test("CLAUDE_OTEL_REDACT adds the user's own patterns; a bad one is reported, not fatal", () => {
  const bad: string[] = [];
  const r = createRedactor({ extraPatterns: 'ACME-[0-9]{6},,([unclosed', onInvalidPattern: (p) => bad.push(p) });
  assert.equal(r('ticket ACME-123456 done'), `ticket ${REDACTED} done`);
  assert.deepEqual(bad, ['([unclosed']);
});

test('a cut value ends in a mark and keeps the limit', () => {
  assert.equal(limitString('abcdefghijklmnopqrstuvwxyz0123', 24), 'abcdefghijklmnopqrstuvw…');
  assert.equal(limitString('abcdefghijklmnopqrstuvw…'.length === 24 ? 'short' : '', 24), 'short');
});
