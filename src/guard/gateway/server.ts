import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createGateway, type Gateway, type GatewayOptions } from './app.js';
import type { GatewayConfig } from './config.js';

export interface RunningGateway extends Gateway {
  url: string;
  close(): Promise<void>;
}

/** Starts the gateway on `config.server.host:port` (port 0 = any free port). */
export async function serveGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<RunningGateway> {
  const gateway = createGateway(config, options);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: gateway.app.fetch, hostname: config.server.host, port: config.server.port }, () =>
      resolve(s),
    );
    s.once('error', reject);
  });
  // Slow or stuck clients must not hold sockets forever.
  const http = server as unknown as import('node:http').Server;
  http.headersTimeout = 30_000;
  http.requestTimeout = 5 * 60_000;
  const { port } = server.address() as AddressInfo;
  return {
    ...gateway,
    url: `http://${config.server.host}:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => {
        http.closeAllConnections?.();
        server.close(() => resolve());
      });
      await gateway.close();
    },
  };
}
