import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRedactor, redactByKey, redactAttributesByKey, MAX_REDACTED_LENGTH, REDACTED } from '../../../src/privacy/redact.ts';
import { boundText, redactedPrefix, redactedWithin, REDACTION_MARGIN } from '../../../src/privacy/bounded-redaction.ts';
import { judgeName } from '../../../src/privacy/secret-names.ts';
import { toolInputSummary } from '../../../src/session/tool-input-summary.ts';

// The engine on adversarial inputs (results only: speed is measured by `npm run bench`),
// the settings, and the bound → redact → truncate order.

const redact = createRedactor();
const AWS = 'AKIAIOSFODNN7EXAMPLE';

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

test('64 KB of dotted names: nothing to hide, and a value after them is still found', () => {
  const dotted = Array.from({ length: 2800 }, (_v, i) => `com.example.auth.token${i}`).join('.');
  assert.ok(dotted.length > 64 * 1024);
  assert.equal(redact(dotted), dotted);
  assert.equal(redact(`${dotted}=hunterEXAMPLE rest`), `${dotted}=${REDACTED} rest`);
  const classpath = `java -cp ${Array.from({ length: 900 }, (_v, i) => `/lib/auth-token${i}.jar`).join(':')} Main`;
  assert.equal(redact(classpath), classpath);
});

test('a 64 KB base64url run is left alone; a key beside it is not', () => {
  const run = `eyJ${'abcDEF012_-'.repeat(6000)}`;
  assert.equal(redact(run), run);
  assert.equal(redact(`${run} ${AWS} end`), `${run} ${REDACTED} end`);
  const jwtish = `${'eyJhbGciOiJIUzI1NiJ9.'.repeat(3000)}x`;
  assert.equal(count(redact(jwtish), REDACTED) > 0, true);
});

test('repeated secret-like words without values stay; each value among them goes', () => {
  const words = 'password token secret session cookie '.repeat(2000);
  assert.equal(redact(words), words);
  const assignments = 'DB_PASS=hunterEXAMPLE '.repeat(3000);
  const out = redact(assignments);
  assert.equal(count(out, 'DB_PASS=[REDACTED] '), 3000);
  assert.ok(!out.includes('hunter'));
  const chained = 'password=token:secret='.repeat(3000);
  assert.ok(!redact(chained).includes('token:secret=password'));
});

test('repeated prefixes, headers and URLs of no secret come back unchanged', () => {
  assert.equal(redact('sk-ant-'.repeat(10000)), REDACTED); // one token that starts like a key
  for (const text of [
    'sk-ant- '.repeat(10000),
    'a://b:'.repeat(10000),
    'machine '.repeat(10000),
    '<a>'.repeat(20000),
    'mysql '.repeat(10000),
    '-----BEGIN '.repeat(6000),
  ]) {
    assert.equal(redact(text), text);
  }
});

test('a private key header repeated without an end hides everything after the first', () => {
  const text = `before ${'-----BEGIN RSA PRIVATE KEY-----'.repeat(2000)}`;
  assert.equal(redact(text), `before ${REDACTED}`);
});

test('a 64 KB prompt keeps its text and loses its secrets, wherever they are', () => {
  const filler = 'Please refactor the parser so that it reads the stream once. '.repeat(1100);
  const prompt = `${AWS} ${filler} DB_PASS=hunterEXAMPLE ${filler} curl -u bob:pwEXAMPLE https://x ${`ghp_${'EXAMPLE0'.repeat(4)}EXAM`}`;
  assert.ok(prompt.length > 128 * 1024);
  const out = redact(prompt);
  assert.equal(out, `${REDACTED} ${filler} DB_PASS=${REDACTED} ${filler} curl -u bob:${REDACTED} https://x ${REDACTED}`);
});

test('ordinary text is not redacted', () => {
  for (const text of [
    'compass=north passed: 12 tokenizer: gpt2 input_tokens: 1234 max_tokens=4096',
    'pip install sk-learn-preprocessing-pipeline',
    'primary_key: id, sort_key: created_at',
    'The token budget is large; the password field is required.',
    'docker run -p 8080:80 -u 1000:1000 image',
    'git@github.com:org/repo.git and ssh://git@host/repo',
    'Bearer of bad news; Basic configuration',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable, as it appears in a command
    'export TOKEN=$GITHUB_TOKEN PASSWORD=${DB_PASSWORD}',
    'sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  ]) {
    assert.equal(redact(text), text);
  }
});

test('names are judged word by word', () => {
  for (const name of [
    'DB_PASS',
    'STRIPE_KEY',
    'apiKey',
    'x-auth-token',
    'MYSQL_PWD',
    'SESSION',
    'COOKIE',
    'aws_secret_access_key',
    'GOOGLE_CREDENTIALS',
    'PHPSESSID',
    'deploy.token',
  ]) {
    assert.equal(judgeName(name), 'secret', name);
  }
  for (const name of ['compass', 'PASSWORD_FILE', 'tokenizer', 'primary_key', 'author', 'keyboard', 'passed', 'HOME']) {
    assert.notEqual(judgeName(name), 'secret', name);
  }
  assert.equal(judgeName('input_tokens'), 'count');
});

test('variables every shell and CI runner sets are plain; look-alikes that hold secrets are not', () => {
  for (const name of [
    'PWD',
    'OLDPWD',
    'SSH_AUTH_SOCK',
    'GIT_ASKPASS',
    'VSCODE_GIT_ASKPASS_NODE',
    'XDG_SESSION_ID',
    'PGPASSFILE',
    'TOX_TESTENV_PASSENV',
    'GITHUB_WORKSPACE',
  ]) {
    assert.equal(judgeName(name), 'plain', name);
  }
  // A lower-case pwd is a web form's password field; MYSQL_PWD is mysql's password.
  for (const name of ['pwd', 'MYSQL_PWD', 'TS_AUTHKEY', 'BASICAUTH', 'PGPASSWORD', 'CI_JOB_TOKEN', 'ACTIONS_RUNTIME_TOKEN']) {
    assert.equal(judgeName(name), 'secret', name);
  }
});

test('CLAUDE_OTEL_REDACT_ALLOW keeps what it matches; an invalid pattern is reported, never thrown', () => {
  const bad: string[] = [];
  const r = createRedactor({
    allowPatterns: 'AKIAIOSFODNN7EXAMPLE,,([nope',
    extraPatterns: '(,,x*',
    onInvalidPattern: (p, setting) => bad.push(`${setting} ${p}`),
  });
  assert.equal(r(`keep ${AWS} hide ASIAIOSFODNN7EXAMPLE`), `keep ${AWS} hide ${REDACTED}`);
  assert.deepEqual(bad.sort(), ['CLAUDE_OTEL_REDACT (', 'CLAUDE_OTEL_REDACT_ALLOW ([nope']);
  // x* matches the empty string everywhere: it must neither loop nor hide text.
  assert.equal(r('abc'), 'abc');
  assert.equal(r('axxb'), `a${REDACTED}b`);
});

test('CLAUDE_OTEL_REDACT_ENTROPY=on hides random-looking values after = or :, off by default', () => {
  const text = 'build_ref=q7Rv2LpX9sKd4WmZ8nBt3YhC6fJg commit: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b mode=fast';
  assert.equal(redact(text), text);
  const withEntropy = createRedactor({ entropy: true });
  assert.equal(withEntropy(text), `build_ref=${REDACTED} commit: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b mode=fast`);
});

test('resource and baggage attributes are judged by their key too', () => {
  assert.equal(redactByKey(redact, 'deploy.api_key', 'short'), REDACTED);
  assert.equal(redactByKey(redact, 'owner', 'me'), 'me');
  assert.deepEqual(redactAttributesByKey(redact, { 'team.password': 'x1', region: 'eu', note: `uses ${AWS}` }), {
    'team.password': REDACTED,
    region: 'eu',
    note: `uses ${REDACTED}`,
  });
});

test('bound → redact → truncate: a secret across the cut is hidden whole', () => {
  const text = `${'word '.repeat(22)}key ${AWS} and more text after it`;
  // Cut first at 120, the key would keep "AKIAIOSF", which no rule knows.
  assert.ok(text.indexOf(AWS) < 120 && text.indexOf(AWS) + AWS.length > 120);
  const preview = redactedPrefix(redact, text, 120);
  assert.ok(!preview.includes('AKIA'), preview);
  assert.equal(preview, `${'word '.repeat(22)}key ${REDACTED} and more text after`.slice(0, 120));
  const cut = redactedWithin(redact, `${'x'.repeat(95)} ${AWS}`, 100, () => '…');
  assert.equal(cut, `${'x'.repeat(95)} [RED…`);
});

test('bounding drops a word cut in half, so no rule sees half a secret', () => {
  const text = `${'a '.repeat(10)}${AWS} tail`;
  assert.equal(boundText(text, 25), 'a '.repeat(10));
  assert.equal(boundText('short', 25), 'short');
  const giant = 'z'.repeat(REDACTION_MARGIN * 2);
  assert.equal(boundText(giant, REDACTION_MARGIN + 10).length, REDACTION_MARGIN + 10);
});

test('a 22 KB command is summarised from its start, redacted before it is cut', () => {
  const command = `DB_PASS=hunterEXAMPLE ${'com.example.auth.token1.'.repeat(920)}`;
  const summary = toolInputSummary('Bash', { command }, redact);
  assert.equal(summary.length, 200);
  assert.ok(summary.startsWith(`DB_PASS=${REDACTED} com.example.auth.token1.`));
  assert.ok(summary.endsWith('…'));
});

test('texts over the size cap are cut at it, with a mark', () => {
  const huge = `${AWS} ${'y '.repeat(MAX_REDACTED_LENGTH)}`;
  const out = redact(huge);
  assert.ok(out.startsWith(REDACTED));
  assert.ok(out.endsWith('…'));
  assert.ok(out.length <= MAX_REDACTED_LENGTH + 1);
});

test("a key block cut short inside a JSON string is hidden up to the string's end, and the JSON stays valid", () => {
  const json = JSON.stringify({ key: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAEXAMPLE', next: 'kept' });
  const out = redact(json);
  assert.deepEqual(JSON.parse(out), { key: REDACTED, next: 'kept' });
});

test('a tool quoted inside another command is read on its own', () => {
  const text = `echo "mysql -uroot -pEXAMPLEpw shop"; echo "curl -u alice:EXAMPLEcurl https://x"`;
  assert.equal(redact(text), `echo "mysql -uroot -p${REDACTED} shop"; echo "curl -u alice:${REDACTED} https://x"`);
});

test('netrc words next to assignments do not hide the operator', () => {
  const text = `machine h login bob password netrcEXAMPLE\npassword = 'two words'`;
  assert.equal(redact(text), `machine h login bob password ${REDACTED}\npassword = '${REDACTED}'`);
});
