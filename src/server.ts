import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from './logger.js';
import type { Store } from './store/store.js';
import type { Clock } from './time.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  handler: RouteHandler;
}

export interface HttpServerDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Prometheus text exposition, for GET /metrics. */
  metrics: () => Promise<{ contentType: string; body: string }>;
}

/** The one HTTP server of DESIGN §4: health and metrics here, platform routes added by the adapters. */
export class HttpServer {
  private readonly routes = new Map<string, RouteHandler>();
  private server: Server | null = null;

  constructor(private readonly deps: HttpServerDeps) {
    this.add({ method: 'GET', path: '/healthz', handler: (_req, res) => this.health(res) });
    this.add({
      method: 'GET',
      path: '/metrics',
      handler: async (_req, res) => {
        const { contentType, body } = await deps.metrics();
        res.writeHead(200, { 'content-type': contentType }).end(body);
      },
    });
  }

  add(route: Route): void {
    this.routes.set(`${route.method} ${route.path}`, route.handler);
  }

  async listen(port: number, host: string): Promise<AddressInfo> {
    const server = createServer((req, res) => void this.dispatch(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const handler = this.routes.get(`${req.method} ${path}`);
    if (!handler) {
      const allowed = [...this.routes.keys()].some((key) => key.endsWith(` ${path}`));
      res.writeHead(allowed ? 405 : 404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: allowed ? 'method_not_allowed' : 'not_found' }));
      return;
    }
    try {
      await handler(req, res);
    } catch (error) {
      this.deps.logger.error({ err: error instanceof Error ? error.message : String(error), path }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'internal' }));
      else res.end();
    }
  }

  private async health(res: ServerResponse): Promise<void> {
    const storeOk = await this.deps.store.ping();
    const lastSync = storeOk ? await this.deps.store.lastSync().catch(() => null) : null;
    const body = {
      status: storeOk ? 'ok' : 'unavailable',
      store: storeOk ? 'ok' : 'unreachable',
      lastSyncAt: lastSync?.syncedAt.toISOString() ?? null,
      lastSyncAgeSeconds: lastSync ? Math.round((this.deps.clock().getTime() - lastSync.syncedAt.getTime()) / 1000) : null,
    };
    res.writeHead(storeOk ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}
