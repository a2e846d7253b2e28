import type { Attributes } from '@opentelemetry/api';

// The CI/CD and VCS resource attributes of the OpenTelemetry semantic conventions, for
// GitHub Actions and GitLab CI. Outside CI nothing is detected.

type Env = Record<string, string | undefined>;

function set(attributes: Attributes, key: string, value: string | undefined): void {
  if (value) attributes[key] = value;
}

function githubActions(env: Env): Attributes {
  const attributes: Attributes = {};
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  const repo = env.GITHUB_REPOSITORY;
  set(attributes, 'cicd.pipeline.name', env.GITHUB_WORKFLOW);
  set(attributes, 'cicd.pipeline.run.id', env.GITHUB_RUN_ID);
  if (repo && env.GITHUB_RUN_ID) attributes['cicd.pipeline.run.url.full'] = `${server}/${repo}/actions/runs/${env.GITHUB_RUN_ID}${env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : ''}`;
  set(attributes, 'cicd.pipeline.task.name', env.GITHUB_JOB);
  if (repo) attributes['vcs.repository.url.full'] = `${server}/${repo}`;
  set(attributes, 'vcs.repository.name', repo?.split('/').pop());
  set(attributes, 'vcs.ref.head.revision', env.GITHUB_SHA);
  set(attributes, 'vcs.ref.head.name', env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME);
  set(attributes, 'vcs.provider.name', 'github');
  return attributes;
}

function gitlabCi(env: Env): Attributes {
  const attributes: Attributes = {};
  set(attributes, 'cicd.pipeline.name', env.CI_PIPELINE_NAME || env.CI_PROJECT_PATH);
  set(attributes, 'cicd.pipeline.run.id', env.CI_PIPELINE_ID);
  set(attributes, 'cicd.pipeline.run.url.full', env.CI_PIPELINE_URL);
  set(attributes, 'cicd.pipeline.task.name', env.CI_JOB_NAME);
  set(attributes, 'cicd.pipeline.task.run.id', env.CI_JOB_ID);
  set(attributes, 'cicd.pipeline.task.run.url.full', env.CI_JOB_URL);
  set(attributes, 'vcs.repository.url.full', env.CI_PROJECT_URL);
  set(attributes, 'vcs.repository.name', env.CI_PROJECT_NAME);
  set(attributes, 'vcs.ref.head.revision', env.CI_COMMIT_SHA);
  set(attributes, 'vcs.ref.head.name', env.CI_COMMIT_REF_NAME);
  set(attributes, 'vcs.provider.name', 'gitlab');
  return attributes;
}

export function detectCi(env: Env): Attributes {
  if (env.GITHUB_ACTIONS === 'true') return githubActions(env);
  if (env.GITLAB_CI === 'true') return gitlabCi(env);
  return {};
}
