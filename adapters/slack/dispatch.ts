import type { App } from '@slack/bolt';
import { errorMessage } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { Envelope } from './inbound.js';
import type { RecentKeys } from '../../src/http/recent-keys.js';
import type { TaskTracker } from './tasks.js';

export interface DispatchDeps {
  recent: RecentKeys;
  tasks: TaskTracker;
  logger: Logger;
  /** Acknowledge empty if no listener has by then (Slack gives up at 3 s and shows the user an error). */
  ackTimeoutMs: number;
}

/** Sends the acknowledgement: the HTTP response, or the socket envelope's ack. */
export type AckSink = (body: Record<string, unknown> | undefined) => Promise<void> | void;

export interface Delivery {
  body: Envelope;
  /** Same key = same delivery (see deliveryKey). */
  key: string;
  retryNum?: number;
  retryReason?: string;
}

/**
 * Hands one delivery to Bolt, shared by both transports: a key seen in the last minutes is acknowledged and
 * dropped (Slack's retries, replays); otherwise the listener's `ack` answers once, and if no listener has
 * answered near the deadline an empty ack goes out so Slack doesn't report a failure. Resolves once acked;
 * the listener's remaining work (follow-ups) is tracked, not awaited.
 */
export async function dispatch(app: App, deps: DispatchDeps, delivery: Delivery, sink: AckSink): Promise<void> {
  const { logger } = deps;
  if (await deps.recent.seen(delivery.key)) {
    logger.info({ key: delivery.key.split(':')[0], retryNum: delivery.retryNum, retryReason: delivery.retryReason }, 'slack: repeated delivery acknowledged and skipped');
    return sink(undefined);
  }
  return new Promise<void>((resolve) => {
    let acked = false;
    const ack = async (response?: unknown): Promise<void> => {
      if (acked) return;
      acked = true;
      clearTimeout(timer);
      try {
        await sink(ackBody(response));
      } catch (error) {
        logger.warn({ err: errorMessage(error) }, 'slack: could not send the acknowledgement');
      } finally {
        resolve();
      }
    };
    const timer = setTimeout(() => {
      logger.warn({ key: delivery.key.split(':')[0] }, 'slack: no answer before the deadline; acknowledged empty');
      void ack();
    }, deps.ackTimeoutMs);
    const work = app
      .processEvent({ body: delivery.body, ack, retryNum: delivery.retryNum, retryReason: delivery.retryReason })
      .catch((error: unknown) => logger.error({ err: errorMessage(error) }, 'slack: handling a request failed'))
      .finally(() => ack());
    deps.tasks.track(work);
  });
}

function ackBody(response: unknown): Record<string, unknown> | undefined {
  if (response === undefined || response === null) return undefined;
  if (typeof response === 'string') return { text: response };
  return response as Record<string, unknown>;
}
