// `watch --metrics <host:port>`: serve /metrics while the run lasts, on loopback unless a host
// is given.
import { createServer, type Server } from 'node:http';
import { UsageError } from '../errors.js';
import { renderExposition, type MetricsState } from './exposition.js';

export interface MetricsServer {
  readonly port: number;
  update(state: Partial<MetricsState>): void;
  close(): Promise<void>;
}

export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:(\[[^\]]+\]|[^:]*):)?(\d+)$/.exec(text.trim());
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535) throw new UsageError(`--metrics: "${text}" is not host:port (e.g. 127.0.0.1:9464 or :9464)`);
  const host = (match[1] ?? '').replace(/^\[|\]$/g, '') || '127.0.0.1';
  return { host, port };
}

export async function serveMetrics(listen: string, root: string): Promise<MetricsServer> {
  const { host, port } = parseListen(listen);
  const state: MetricsState = { root, snapshot: null, tasksCompleted: 0, verdict: null };
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('leakhunt serves /metrics\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(renderExposition(state));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(new UsageError(`--metrics: cannot listen on ${host}:${port} (${error.code})`)));
    server.listen(port, host, resolve);
  });
  server.unref();
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    update(partial) {
      Object.assign(state, partial);
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
