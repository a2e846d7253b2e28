import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_CICD_PIPELINE_NAME,
  ATTR_CICD_PIPELINE_RUN_ID,
  ATTR_CICD_PIPELINE_RUN_URL_FULL,
  ATTR_CICD_PIPELINE_TASK_NAME,
  ATTR_CICD_PIPELINE_TASK_RUN_ID,
  ATTR_CICD_PIPELINE_TASK_RUN_URL_FULL,
  ATTR_VCS_PROVIDER_NAME,
  ATTR_VCS_REF_HEAD_NAME,
  ATTR_VCS_REF_HEAD_REVISION,
  ATTR_VCS_REPOSITORY_NAME,
  ATTR_VCS_REPOSITORY_URL_FULL,
} from '../telemetry/names.ts';

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
  set(attributes, ATTR_CICD_PIPELINE_NAME, env.GITHUB_WORKFLOW);
  set(attributes, ATTR_CICD_PIPELINE_RUN_ID, env.GITHUB_RUN_ID);
  if (repo && env.GITHUB_RUN_ID)
    attributes[ATTR_CICD_PIPELINE_RUN_URL_FULL] =
      `${server}/${repo}/actions/runs/${env.GITHUB_RUN_ID}${env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : ''}`;
  set(attributes, ATTR_CICD_PIPELINE_TASK_NAME, env.GITHUB_JOB);
  if (repo) attributes[ATTR_VCS_REPOSITORY_URL_FULL] = `${server}/${repo}`;
  set(attributes, ATTR_VCS_REPOSITORY_NAME, repo?.split('/').pop());
  set(attributes, ATTR_VCS_REF_HEAD_REVISION, env.GITHUB_SHA);
  set(attributes, ATTR_VCS_REF_HEAD_NAME, env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME);
  set(attributes, ATTR_VCS_PROVIDER_NAME, 'github');
  return attributes;
}

function gitlabCi(env: Env): Attributes {
  const attributes: Attributes = {};
  set(attributes, ATTR_CICD_PIPELINE_NAME, env.CI_PIPELINE_NAME || env.CI_PROJECT_PATH);
  set(attributes, ATTR_CICD_PIPELINE_RUN_ID, env.CI_PIPELINE_ID);
  set(attributes, ATTR_CICD_PIPELINE_RUN_URL_FULL, env.CI_PIPELINE_URL);
  set(attributes, ATTR_CICD_PIPELINE_TASK_NAME, env.CI_JOB_NAME);
  set(attributes, ATTR_CICD_PIPELINE_TASK_RUN_ID, env.CI_JOB_ID);
  set(attributes, ATTR_CICD_PIPELINE_TASK_RUN_URL_FULL, env.CI_JOB_URL);
  set(attributes, ATTR_VCS_REPOSITORY_URL_FULL, env.CI_PROJECT_URL);
  set(attributes, ATTR_VCS_REPOSITORY_NAME, env.CI_PROJECT_NAME);
  set(attributes, ATTR_VCS_REF_HEAD_REVISION, env.CI_COMMIT_SHA);
  set(attributes, ATTR_VCS_REF_HEAD_NAME, env.CI_COMMIT_REF_NAME);
  set(attributes, ATTR_VCS_PROVIDER_NAME, 'gitlab');
  return attributes;
}

export function detectCi(env: Env): Attributes {
  if (env.GITHUB_ACTIONS === 'true') return githubActions(env);
  if (env.GITLAB_CI === 'true') return gitlabCi(env);
  return {};
}
