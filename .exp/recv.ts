import { startOtlpReceiver } from '../test/support/otlp-receiver.ts';
const r = await startOtlpReceiver({ protocol: 'grpc' });
console.log(r.endpoint);
setInterval(() => {}, 1000);
