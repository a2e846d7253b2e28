import { randomUUID } from 'node:crypto';
import { hostname, arch, platform, type } from 'node:os';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import type { Attributes } from '@opentelemetry/api';
import { PACKAGE_VERSION } from '../package-version.ts';
import { redactAttributesByKey } from '../privacy/redact.ts';

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
    'service.version': PACKAGE_VERSION,
    'service.instance.id': randomUUID(),
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.language': 'nodejs',
    'host.name': hostname(),
    'host.arch': arch(),
    'os.type': platform(),
    'os.description': type(),
    'process.pid': process.pid,
    'process.runtime.name': 'nodejs',
    'process.runtime.version': process.versions.node,
    'process.executable.name': 'claude-otel',
    ...(options.detected ?? {}),
    ...redactValues(options.resourceAttributes, options.redact),
    'service.name': options.serviceName,
  };
  if (options.resourceAttributes['service.name'] && options.serviceName === 'claude-otel') {
    attributes['service.name'] = options.resourceAttributes['service.name'];
  }
  return resourceFromAttributes(attributes);
}
