import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ComponentHealth } from './health.js';
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
  /** Platform adapters by name, as they are now: each must be ready for /readyz, none failed for /healthz. */
  adapters?: () => Record<string, ComponentHealth>;
  /** Optional services (the LLM): reported, but their fallbacks keep the bot useful, so they never fail a probe. */
  services?: () => Record<string, ComponentHealth>;
}

/**
 * The one HTTP server: health, readiness and metrics here, platform routes added by the adapters.
 * `/healthz` is liveness (200 unless the store is unreadable or a component failed for good); `/readyz` is for
 * load balancers (200 only when the store answers and every adapter is connected and verified).
 */
export class HttpServer {
  private readonly routes = new Map<string, RouteHandler>();
  private server: Server | null = null;

  constructor(private readonly deps: HttpServerDeps) {
    this.add({ method: 'GET', path: '/healthz', handler: (_req, res) => this.health(res) });
    this.add({ method: 'GET', path: '/readyz', handler: (_req, res) => this.ready(res) });
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
    const store = await this.deps.store.health();
    const adapters = this.deps.adapters?.() ?? {};
    const healthy = store.ok && Object.values(adapters).every((c) => c.state !== 'failed');
    const lastSync = store.ok ? await this.deps.store.lastSync().catch(() => null) : null;
    const body = {
      status: healthy ? 'ok' : 'unavailable',
      store: { state: store.ok ? 'ready' : 'failed', detail: store.detail },
      adapters,
      ...this.deps.services?.(),
      lastSyncAt: lastSync?.syncedAt.toISOString() ?? null,
      lastSyncAgeSeconds: lastSync ? Math.round((this.deps.clock().getTime() - lastSync.syncedAt.getTime()) / 1000) : null,
    };
    sendJson(res, healthy ? 200 : 503, body);
  }

  private async ready(res: ServerResponse): Promise<void> {
    const store = await this.deps.store.health();
    const waiting = Object.entries(this.deps.adapters?.() ?? {})
      .filter(([, c]) => c.state !== 'ready')
      .map(([name, c]) => `${name}: ${c.state}${c.detail ? ` (${c.detail})` : ''}`);
    if (!store.ok) waiting.unshift(`store: ${store.detail}`);
    sendJson(res, waiting.length === 0 ? 200 : 503, { ready: waiting.length === 0, waiting });
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}
