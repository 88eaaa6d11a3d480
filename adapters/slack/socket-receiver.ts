import type { App, Receiver } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import { errorMessage } from '../../src/errors.js';
import { slackSdkLogger } from './bolt-logger.js';
import { dispatch, type DispatchDeps } from './dispatch.js';
import { deliveryKey, parseEnvelope } from './inbound.js';

export interface SocketReceiverDeps extends DispatchDeps {
  appToken: string;
  /** SLACK_API_URL: `apps.connections.open` goes there too (Bolt's own SocketModeReceiver can't be told). */
  slackApiUrl: string;
}

/**
 * Bolt's receiver for Socket Mode (SLACK_APP_TOKEN set): Slack delivers over a WebSocket the app opens, so no
 * public URL is needed. Envelopes go through the same dispatch as HTTP requests (once per key, acked once).
 */
export class SocketReceiver implements Receiver {
  readonly client: SocketModeClient;
  private app: App | null = null;
  private stopping = false;

  constructor(private readonly deps: SocketReceiverDeps) {
    this.client = new SocketModeClient({
      appToken: deps.appToken,
      logger: slackSdkLogger(deps.logger),
      clientOptions: { slackApiUrl: deps.slackApiUrl, retryConfig: { retries: 2, minTimeout: 500, maxTimeout: 5000 } },
    });
    this.client.on('slack_event', (event: { ack: (response?: unknown) => Promise<void>; body: unknown; retry_num?: number; retry_reason?: string }) => {
      void this.onEnvelope(event).catch((error: unknown) => deps.logger.error({ err: errorMessage(error) }, 'slack: socket envelope failed'));
    });
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<unknown> {
    return this.client.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.client.disconnect();
  }

  /** After start: told when the socket drops (the client reconnects by itself) and when it is back. */
  onConnectionChange(listener: (state: 'ready' | 'reconnecting') => void): void {
    this.client.on('connected', () => listener('ready'));
    this.client.on('reconnecting', () => listener('reconnecting'));
    this.client.on('disconnected', () => {
      if (!this.stopping) listener('reconnecting');
    });
  }

  private async onEnvelope(event: { ack: (response?: unknown) => Promise<void>; body: unknown; retry_num?: number; retry_reason?: string }): Promise<void> {
    const raw = Buffer.from(JSON.stringify(event.body ?? null));
    const body = parseEnvelope('application/json', raw);
    if (!body || !this.app) {
      await event.ack();
      return;
    }
    await dispatch(this.app, this.deps, { body, key: deliveryKey(body, raw), retryNum: event.retry_num, retryReason: event.retry_reason }, (ack) => event.ack(ack));
  }
}
