import type { webApi } from '@slack/bolt';
import type { SlackSettings } from './settings.js';
import { UsageError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { SharedCoordination } from '../../src/platform.js';
import { SlackApi, type RetryPolicy } from './api.js';
import { slackSdkLogger } from './bolt-logger.js';
import { PostPacer, type PacerOptions } from './pacer.js';
import { SlackPublisher } from './publisher.js';
import { WebApiTransport } from './web-api-transport.js';

export interface SlackClientOptions {
  /** Per-channel gap (default SLACK_POST_INTERVAL_MS, 1000 ms) and workspace cap (default 600 posts a minute; null for none). */
  pacing?: Partial<Pick<PacerOptions, 'intervalMs' | 'workspacePerMinute' | 'workspaceBurst'>>;
  retry?: Partial<RetryPolicy>;
  /** Per Web API request (default 10 s; the client's own default is none). */
  timeoutMs?: number;
  /** The store replicas share: each channel's one-a-second holds across all of them. */
  shared?: SharedCoordination;
}

/** Slack's "several hundred messages a minute" per workspace, kept below with room for commands. */
export const DEFAULT_WORKSPACE_PER_MINUTE = 600;

/**
 * Options for Bolt's own WebClient (our calls go through SlackApi): SLACK_API_URL, a request timeout, and no
 * retries of its own — the defaults would retry for ~30 minutes and pause all calls on one 429.
 */
export function webClientOptions(config: SlackSettings, logger: Logger, options: SlackClientOptions = {}): webApi.WebClientOptions {
  return {
    slackApiUrl: config.SLACK_API_URL,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 10_000,
    logger: slackSdkLogger(logger),
  };
}

export function createSlackApi(config: SlackSettings, logger: Logger, options: SlackClientOptions = {}): SlackApi {
  if (!config.SLACK_BOT_TOKEN) throw new UsageError('SLACK_BOT_TOKEN is not set; install the Slack app from adapters/slack/manifest.yml and copy its Bot User OAuth Token (see README).');
  const transport = new WebApiTransport({ baseUrl: config.SLACK_API_URL, token: config.SLACK_BOT_TOKEN, timeoutMs: options.timeoutMs });
  const pacer = new PostPacer({
    intervalMs: options.pacing?.intervalMs ?? config.SLACK_POST_INTERVAL_MS,
    workspacePerMinute: options.pacing?.workspacePerMinute === undefined ? DEFAULT_WORKSPACE_PER_MINUTE : options.pacing.workspacePerMinute,
    workspaceBurst: options.pacing?.workspaceBurst,
    shared: options.shared ? (channel, intervalMs) => options.shared!.reserveSlot(`slack:${channel}`, intervalMs, new Date()) : undefined,
  });
  return new SlackApi(transport, pacer, logger, { retry: options.retry });
}

/** A publisher alone, for posting without receiving commands (`paperboy digest --channel slack:C…`). */
export function createSlackPublisher(config: SlackSettings, logger: Logger, options: SlackClientOptions = {}): SlackPublisher {
  return new SlackPublisher(createSlackApi(config, logger, options), logger);
}
