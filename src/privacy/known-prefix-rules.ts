import { patternRule, type Rule } from './redaction-engine.ts';

// Credentials recognisable by their own shape: a vendor prefix and a body. The families
// follow the gitleaks default rule set (config/gitleaks.toml); each rule's id is the
// gitleaks rule id it covers. The patterns are written for this engine: each begins at the
// start of a token (the lookbehind), bodies are single character classes, and a quantifier
// that something follows is bounded, so no pattern backtracks more than one token.

/** Not inside a longer run of token characters. */
const B = '(?<![A-Za-z0-9_-])';
/** Not followed by more token characters (the token ends here). */
const E = '(?![A-Za-z0-9_-])';

/** One family: its gitleaks rule id and the pattern of a token that starts at B. */
interface Family {
  id: string;
  body: string;
}

function rule(id: string, body: string): Family {
  return { id, body };
}

const FAMILIES: readonly (Family | Rule)[] = [
  // AI providers
  rule('anthropic-api-key', 'sk-ant-[A-Za-z0-9_-]{16,}'), // also anthropic-admin-api-key (sk-ant-admin01-)
  // A random body has digits; "sk-learn-preprocessing-pipeline" has none.
  patternRule('openai-api-key', new RegExp(`${B}sk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}`), { accept: (s) => /[0-9]/.test(s) }),
  rule('huggingface-access-token', 'hf_[A-Za-z]{30,}'),
  rule('huggingface-organization-api-token', 'api_org_[A-Za-z]{30,}'),
  rule('perplexity-api-key', 'pplx-[A-Za-z0-9]{40,}'),
  // Cloud providers
  rule('aws-access-token', `(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}${E}`),
  rule('aws-amazon-bedrock-api-key-long-lived', 'ABSK[A-Za-z0-9+/]{100,}={0,2}'),
  rule('azure-ad-client-secret', `[A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])`),
  rule('gcp-api-key', 'AIza[A-Za-z0-9_-]{35}'),
  rule('google-oauth-access-token', 'ya29\\.[A-Za-z0-9_-]{20,}'), // gitleaks: gcp family
  rule('google-oauth-client-secret', 'GOCSPX-[A-Za-z0-9_-]{20,}'), // gitleaks: gcp family
  rule('google-oauth-refresh-token', '1//0[A-Za-z0-9_-]{40,}'),
  rule('digitalocean-access-token', 'do[opr]_v1_[a-f0-9]{64}'), // also digitalocean-pat, -refresh-token
  rule('alibaba-access-key-id', `LTAI[A-Za-z0-9]{20}${E}`),
  rule('flyio-access-token', '(?:fo1_[A-Za-z0-9_-]{43}|fm[12][ar]?_[A-Za-z0-9+/]{100,}={0,3})'),
  rule('heroku-api-key-v2', 'HRKU-AA[A-Za-z0-9_-]{58}'),
  // Source forges and package registries
  rule('github-pat', 'gh[pousr]_[A-Za-z0-9]{30,}'), // also github-oauth, -app-token, -refresh-token
  rule('github-fine-grained-pat', 'github_pat_[A-Za-z0-9_]{40,}'),
  rule('gitlab-pat', 'gl(?:pat|dt|rt|ptt|cbt|soat|ft|imt|oas|ffct|sa)-[A-Za-z0-9_.-]{20,}'), // and the other gitlab-* tokens
  rule('gitlab-kubernetes-agent-token', 'glagent-[A-Za-z0-9_-]{50,}'),
  rule('gitlab-runner-authentication-token', `GR1348941[A-Za-z0-9_-]{20}${E}`),
  rule('npm-access-token', 'npm_[A-Za-z0-9]{36}'),
  rule('pypi-upload-token', 'pypi-AgE[A-Za-z0-9_-]{50,}'),
  rule('rubygems-api-token', 'rubygems_[a-f0-9]{48}'),
  rule('clojars-api-token', 'CLOJARS_[A-Za-z0-9]{60}'),
  rule('artifactory-api-key', `AKCp[A-Za-z0-9]{69}${E}`),
  rule('bitbucket-app-password', 'ATBB[A-Za-z0-9_=.-]{28,}'),
  // Chat and messaging
  rule('slack-bot-token', 'xox[abposre]-[A-Za-z0-9-]{10,}'), // also slack-user-token, -legacy-*
  rule('slack-app-token', 'xapp-\\d-[A-Za-z0-9-]{10,}'),
  rule('slack-config-access-token', 'xoxe\\.xox[bp]-\\d-[A-Za-z0-9]{100,}'), // also slack-config-refresh-token (xoxe-)
  patternRule('slack-webhook-url', /hooks\.slack\.com\/(?:services|workflows|triggers)\/(?<s>[A-Za-z0-9+/]{20,})/, { group: 's' }),
  patternRule('discord-webhook', /discord(?:app)?\.com\/api\/webhooks\/(?<s>\d{5,30}\/[A-Za-z0-9_-]{20,})/, { group: 's' }),
  rule('discord-api-token', '[MNO][A-Za-z0-9]{23,25}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38}'),
  patternRule('telegram-bot-api-token', /(?<![0-9:])\d{5,16}:A[A-Za-z0-9_-]{34}(?![A-Za-z0-9_-])/),
  patternRule('microsoft-teams-webhook', /webhook\.office\.com\/webhookb2\/(?<s>[A-Za-z0-9@/-]{40,})/, { group: 's' }),
  rule('mattermost-access-token', 'mmauth-[A-Za-z0-9]{26}'),
  // Payments and commerce
  rule('stripe-access-token', '(?:sk|rk)_(?:test|live|prod)_[A-Za-z0-9]{10,}'),
  rule('stripe-webhook-secret', 'whsec_[A-Za-z0-9]{24,}'),
  rule('shopify-access-token', 'shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}'), // also shopify-custom-/-private-app-/-shared-secret
  rule('square-access-token', 'sq0(?:atp|csp)-[A-Za-z0-9_-]{22,}'),
  rule('square-access-token', `EAAA[A-Za-z0-9_-]{60}${E}`),
  rule('facebook-page-access-token', `EAA[MC][A-Za-z0-9]{100,}`),
  rule('flutterwave-secret-key', 'FLW(?:SECK|PUBK)_TEST-[A-Ha-h0-9]{32}-X'),
  // Email and SMS
  rule('sendgrid-api-token', 'SG\\.[A-Za-z0-9_-]{16,32}\\.[A-Za-z0-9_-]{16,64}'),
  rule('sendinblue-api-token', 'xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}'),
  rule('twilio-api-key', `(?:SK|AC)[0-9a-fA-F]{32}${E}`),
  rule('mailgun-private-api-token', `key-[a-f0-9]{32}${E}`),
  rule('mailchimp-api-key', `[a-f0-9]{32}-us\\d{1,2}${E}`),
  // Operations, observability, secrets managers
  rule('vault-service-token', 'hv[sbr]\\.[A-Za-z0-9_-]{24,}'), // also vault-batch-token
  rule('hashicorp-tf-api-token', '[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,}'),
  rule('doppler-api-token', 'dp\\.(?:pt|st|ct|sa|scim|audit)\\.[A-Za-z0-9]{40,}'),
  rule('1password-service-account-token', 'ops_eyJ[A-Za-z0-9+/]{100,}={0,3}'),
  rule('grafana-api-key', 'eyJrIjoi[A-Za-z0-9]{50,}={0,3}'),
  rule('grafana-cloud-api-token', 'glc_[A-Za-z0-9+/]{32,}={0,3}'),
  rule('grafana-service-account-token', 'glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}'),
  rule('sentry-user-token', 'sntry[us]_[A-Za-z0-9+/=_]{40,}'), // also sentry-org-token
  rule('databricks-api-token', 'dapi[a-f0-9]{32}(?:-\\d)?'),
  rule('new-relic-user-api-key', `NR(?:AK|II|JS)-[A-Za-z0-9]{19,32}${E}`),
  rule('dynatrace-api-token', 'dt0c01\\.[A-Za-z0-9]{24}\\.[A-Za-z0-9]{64}'),
  rule('pulumi-api-token', 'pul-[a-f0-9]{40}'),
  rule('postman-api-token', 'PMAK-[A-Fa-f0-9]{24}-[A-Fa-f0-9]{34}'),
  rule('linear-api-key', 'lin_api_[A-Za-z0-9]{40}'),
  rule('notion-api-token', 'ntn_[0-9]{11}[A-Za-z0-9]{35}'),
  rule('planetscale-api-token', 'pscale_(?:tkn|oauth|pw)_[A-Za-z0-9_=.-]{32,}'),
  rule('prefect-api-token', 'pnu_[A-Za-z0-9]{36}'),
  rule('readme-api-token', 'rdme_[a-z0-9]{70}'),
  rule('sourcegraph-access-token', 'sgp_(?:[a-fA-F0-9]{16}|local)_[a-fA-F0-9]{40}'),
  rule('atlassian-api-token', 'AT(?:ATT|CTT)3[A-Za-z0-9_=-]{100,}'),
  rule('typeform-api-token', 'tfp_[A-Za-z0-9_.=-]{59}'),
  rule('tailscale-api-key', 'tskey-[A-Za-z0-9]+-[A-Za-z0-9]{16,}'),
  rule('supabase-access-token', 'sbp_[a-f0-9]{40}'),
  // Keys and tokens with a standard shape
  rule('jwt', 'ey[A-Za-z0-9_-]{10,}\\.ey[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]*'),
  rule('age-secret-key', 'AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}'),
];

function isFamily(entry: Family | Rule): entry is Family {
  return 'body' in entry;
}

/**
 * The families whose token starts at B go into one alternation, so the text is scanned once
 * for all of them instead of once each; the rest (their own boundaries, groups or checks)
 * run alone.
 */
export const KNOWN_PREFIX_RULES: readonly Rule[] = [
  patternRule(
    'known-prefix',
    new RegExp(
      `${B}(?:${FAMILIES.filter(isFamily)
        .map((f) => `(?:${f.body})`)
        .join('|')})`,
    ),
  ),
  ...FAMILIES.filter((f): f is Rule => !isFamily(f)),
];
