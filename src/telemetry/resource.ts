import { randomUUID } from 'node:crypto';
import { hostname, arch, platform, type } from 'node:os';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import type { Attributes } from '@opentelemetry/api';
import { PACKAGE_VERSION } from '../package-version.ts';
import { redactAttributesByKey } from '../privacy/redact.ts';
import {
  ATTR_HOST_ARCH,
  ATTR_HOST_NAME,
  ATTR_OS_DESCRIPTION,
  ATTR_OS_TYPE,
  ATTR_PROCESS_EXECUTABLE_NAME,
  ATTR_PROCESS_PID,
  ATTR_PROCESS_RUNTIME_NAME,
  ATTR_PROCESS_RUNTIME_VERSION,
  ATTR_SERVICE_INSTANCE_ID,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  ATTR_TELEMETRY_SDK_LANGUAGE,
  ATTR_TELEMETRY_SDK_NAME,
} from './names.ts';

// The resource every signal carries: who sent it (service.*), from where (host.*, os.*),
// which process (process.*), plus OTEL_RESOURCE_ATTRIBUTES, which wins over our defaults
// except for service.name, which OTEL_SERVICE_NAME sets.

export interface ResourceOptions {
  serviceName: string;
  resourceAttributes: Record<string, string>;
  /** Extra detected attributes (CI), below the user's own. */
  detected?: Attributes;
  /** OTEL_RESOURCE_ATTRIBUTES may carry secrets as much as anything else (judged by key and value). */
  redact?: (text: string) => string;
}

function redactValues(attributes: Record<string, string>, redact: ((text: string) => string) | undefined): Record<string, string> {
  return redact ? redactAttributesByKey(redact, attributes) : attributes;
}

export function buildResource(options: ResourceOptions): Resource {
  const attributes: Attributes = {
    [ATTR_SERVICE_VERSION]: PACKAGE_VERSION,
    [ATTR_SERVICE_INSTANCE_ID]: randomUUID(),
    [ATTR_TELEMETRY_SDK_NAME]: 'opentelemetry',
    [ATTR_TELEMETRY_SDK_LANGUAGE]: 'nodejs',
    [ATTR_HOST_NAME]: hostname(),
    [ATTR_HOST_ARCH]: arch(),
    [ATTR_OS_TYPE]: platform(),
    [ATTR_OS_DESCRIPTION]: type(),
    [ATTR_PROCESS_PID]: process.pid,
    [ATTR_PROCESS_RUNTIME_NAME]: 'nodejs',
    [ATTR_PROCESS_RUNTIME_VERSION]: process.versions.node,
    [ATTR_PROCESS_EXECUTABLE_NAME]: 'claude-otel',
    ...(options.detected ?? {}),
    ...redactValues(options.resourceAttributes, options.redact),
    [ATTR_SERVICE_NAME]: options.serviceName,
  };
  if (options.resourceAttributes[ATTR_SERVICE_NAME] && options.serviceName === 'claude-otel') {
    attributes[ATTR_SERVICE_NAME] = options.resourceAttributes[ATTR_SERVICE_NAME];
  }
  return resourceFromAttributes(attributes);
}
