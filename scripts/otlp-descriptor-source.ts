import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

// The protobufjs JSON descriptor of the three OTLP export services, from the vendored .proto
// files (shared by the script that writes it and the test that checks it is current).

const PROTO_ROOT = fileURLToPath(new URL('../test/fixtures/proto/', import.meta.url));
const FILES = ['trace', 'logs', 'metrics'].map((signal) => `opentelemetry/proto/collector/${signal}/v1/${signal}_service.proto`);

export function otlpDescriptorFromProtos(): unknown {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(PROTO_ROOT, target);
  root.loadSync(FILES);
  root.resolveAll();
  // Only the messages matter for encoding: services, options and comments go.
  return messagesOnly(root.toJSON({ keepComments: false }));
}

function messagesOnly(node: unknown): unknown {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'options' || key === 'comment') continue;
    if (typeof value === 'object' && value !== null && 'methods' in value) continue;
    out[key] = messagesOnly(value);
  }
  return out;
}

/** The descriptor as TypeScript source: nested as JSON is, each small object on one line. */
export function formatDescriptor(node: unknown, indent = '', keyWidth = 0): string {
  const flat = JSON.stringify(node);
  if (typeof node !== 'object' || node === null || Array.isArray(node) || indent.length + keyWidth + flat.length <= 158) return flat;
  const inner = `${indent}  `;
  const entries = Object.entries(node).map(
    ([key, value]) => `${inner}${JSON.stringify(key)}: ${formatDescriptor(value, inner, JSON.stringify(key).length + 2)}`,
  );
  return `{\n${entries.join(',\n')}\n${indent}}`;
}
