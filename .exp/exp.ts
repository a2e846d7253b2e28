import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import * as grpc from '@grpc/grpc-js';
const endpoint = process.argv[2]!;
const warm = process.argv[3] === 'warm';
const mem = new InMemorySpanExporter();
const p = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(mem)] });
const t = p.getTracer('x');
for (let i = 0; i < 20; i++) t.startSpan('s' + i).end();
const exporter = new OTLPTraceExporter({ url: endpoint, timeoutMillis: 2000 });
let client: grpc.Client | undefined;
if (warm) {
  client = new grpc.Client(endpoint.replace(/^http:\/\//, ''), grpc.credentials.createInsecure(), {
    'grpc.default_compression_algorithm': 0,
    'grpc.primary_user_agent': process.argv[4] ?? 'OTel-OTLP-Exporter-JavaScript/0.223.0',
  });
  await new Promise<void>((res) => client!.waitForReady(Date.now() + 1000, () => res()));
}
await new Promise((r) => setTimeout(r, 300));
const t0 = performance.now();
await new Promise<void>((res) => exporter.export(mem.getFinishedSpans(), (r) => { if (r.code) console.error(r.error); res(); }));
const t1 = performance.now();
console.log(warm ? 'warm' : 'cold', (t1 - t0).toFixed(1), 'ms');
const t2 = performance.now();
await new Promise<void>((res) => exporter.export(mem.getFinishedSpans(), () => res()));
console.log('second', (performance.now() - t2).toFixed(1));
client?.close();
await exporter.shutdown();
