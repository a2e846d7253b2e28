import { createRequire } from 'node:module';
import type { ChannelCredentials, ChannelOptions } from '@grpc/grpc-js';
import type { SignalExportConfig } from '../config/otlp-config.ts';
import { commonJsExports } from './commonjs-exports.ts';
import { withoutHeaderVariables } from './header-variables.ts';
import type { DebugLog } from '../debug-log.ts';

// The first gRPC export pays for opening the connection: name resolution, the HTTP/2
// session, grpc-js code run for the first time, and over TLS the handshake's round trips.
// Paid at exit, that is time the user waits for after claude is done. So while claude runs,
// a client with the exporter's own target, credentials and channel options connects;
// grpc-js pools connections across clients with equal settings, so the exporter's first
// call finds it open. No request is sent. A collector that cannot be reached is left
// alone at once, so that the export at exit starts afresh rather than in a retry backoff.

export interface ConnectionWarmup {
  /** Closes the warm-up clients; the exporters' clients keep the connections they use. */
  close(): void;
}

// Values grpc-js uses for the exporter's compression option.
const GRPC_COMPRESSION_NONE = 0;
const GRPC_COMPRESSION_GZIP = 2;

/** The user agent the OTLP gRPC exporters give their channels (part of what makes a connection shareable). */
function exporterUserAgent(): string | undefined {
  try {
    const version: unknown = (createRequire(import.meta.url)('@opentelemetry/otlp-grpc-exporter-base/package.json') as { version?: unknown }).version;
    return typeof version === 'string' ? `OTel-OTLP-Exporter-JavaScript/${version}` : undefined;
  } catch {
    return undefined;
  }
}

export async function warmGrpcConnections(configs: SignalExportConfig[], debugLog: DebugLog): Promise<ConnectionWarmup> {
  const wanted = configs.filter((c) => c.exporter === 'otlp' && c.protocol === 'grpc');
  if (wanted.length === 0) return { close: () => {} };
  const grpc = commonJsExports(await import('@grpc/grpc-js'));
  const { convertLegacyOtlpGrpcOptions } = commonJsExports(await import('@opentelemetry/otlp-grpc-exporter-base'));
  const userAgent = exporterUserAgent();
  const closers: (() => void)[] = [];
  const seen = new Set<string>();
  for (const config of wanted) {
    // The exporter's own reading of the endpoint and of the certificate variables.
    // Without the header variables: an entry the wrapper dropped would make the package throw here.
    const resolved = withoutHeaderVariables(() =>
      convertLegacyOtlpGrpcOptions({ url: config.url, compression: config.compression as never }, config.signal.toUpperCase()),
    );
    const key = `${resolved.url} ${config.compression}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let credentials: ChannelCredentials;
    try {
      credentials = resolved.credentials();
    } catch (error) {
      debugLog.log('debug', 'no gRPC warm-up: the credentials could not be made', { signal: config.signal, error: String(error) });
      continue;
    }
    const options: ChannelOptions = { 'grpc.default_compression_algorithm': config.compression === 'gzip' ? GRPC_COMPRESSION_GZIP : GRPC_COMPRESSION_NONE };
    if (userAgent) options['grpc.primary_user_agent'] = userAgent;
    const client = new grpc.Client(resolved.url, credentials, options);
    const channel = client.getChannel();
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      client.close();
    };
    closers.push(close);
    const follow = (state: number) => {
      if (closed) return;
      if (state === grpc.connectivityState.READY) {
        debugLog.log('debug', 'gRPC connection open before the export', { address: resolved.url });
        return;
      }
      if (state === grpc.connectivityState.TRANSIENT_FAILURE || state === grpc.connectivityState.SHUTDOWN) {
        debugLog.log('debug', 'gRPC warm-up could not connect; the export will try on its own', { address: resolved.url });
        close();
        return;
      }
      // No deadline: grpc-js would keep a timer for it, which holds a library host's event loop open.
      channel.watchConnectivityState(state, Infinity, (error) => {
        if (error) return close();
        follow(channel.getConnectivityState(false));
      });
    };
    follow(channel.getConnectivityState(true));
  }
  return {
    close: () => {
      for (const close of closers) close();
    },
  };
}
