import { z } from 'zod';
import { CHANNEL_UNAVAILABLE } from '../../src/delivery/publisher.js';
import { PaperboyError } from '../../src/errors.js';
import { backoffDelay } from '../../src/http/retry.js';
import { realSleep, type Sleep } from '../../src/http/sleep.js';
import type { Logger } from '../../src/logger.js';
import { CHANNEL_GONE_ERRORS } from './limits.js';
import { assertSendable } from './message.js';
import type { PostPacer } from './pacer.js';
import type { WebApiAnswer, WebApiTransport } from './web-api-transport.js';

export interface RetryPolicy {
  /** Attempts for 5xx answers and network failures, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** 429s waited out (each for its Retry-After) before giving up. */
  maxRateLimitWaits: number;
  /** A Retry-After longer than this is not waited for: the call fails with `rate_limited` and retryAfterMs. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8000, maxRateLimitWaits: 5, maxRetryAfterMs: 120_000 };

export interface SlackApiOptions {
  retry?: Partial<RetryPolicy>;
  sleep?: Sleep;
  random?: () => number;
}

const messageRef = z.object({ ok: z.literal(true), ts: z.string().min(1), channel: z.string().min(1) });
const permalink = z.object({ ok: z.literal(true), permalink: z.url() });
const authTest = z.object({ ok: z.literal(true), user_id: z.string(), bot_id: z.string().optional(), team_id: z.string().optional() });
const listedMessages = z.object({
  ok: z.literal(true),
  messages: z
    .array(
      z.object({
        ts: z.string(),
        bot_id: z.string().optional(),
        thread_ts: z.string().optional(),
        metadata: z.object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()).optional() }).optional(),
      }),
    )
    .default([]),
});

export type ListedMessage = z.output<typeof listedMessages>['messages'][number];
type Args = Record<string, unknown>;

/**
 * The Web API as paperboy uses it, over our own transport (see web-api-transport.ts). This class owns retrying:
 * a 429 waits its Retry-After for that channel only, 5xx and network failures back off exponentially, both
 * bounded, each retry logged, and a final failure thrown as a PaperboyError.
 * Answers are validated with zod like any other inbound body. A 5xx or dropped connection on chat.postMessage may
 * hide a post that landed, so its retry can duplicate it; that is rarer and cheaper than a digest with a hole.
 */
export class SlackApi {
  private readonly retry: RetryPolicy;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private identity: Promise<{ userId: string; botId: string | null; teamId: string | null }> | null = null;

  constructor(
    private readonly transport: WebApiTransport,
    private readonly pacer: PostPacer,
    private readonly logger: Logger,
    options: SlackApiOptions = {},
  ) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
  }

  /**
   * chat.postMessage in the channel's paced slot. The message is built and checked when the slot comes, not while
   * the channel waits for it: in a fan-out every channel's next item would otherwise be rendered straight after its
   * parent, and at 1,000 channels that work held the last first posts back by ~0.4 s.
   */
  async postMessage(channel: string, build: () => Args): Promise<{ ts: string; channel: string }> {
    return this.pacer.run(channel, async () => {
      const args = assertSendable({ channel, ...build() });
      return messageRef.parse(await this.call('chat.postMessage', { unfurl_links: false, unfurl_media: false, ...args }, channel));
    });
  }

  async postEphemeral(args: Args & { channel: string; user: string }): Promise<void> {
    await this.call('chat.postEphemeral', assertSendable(args), null);
  }

  async update(args: Args & { channel: string; ts: string }): Promise<void> {
    await this.call('chat.update', assertSendable(args), null);
  }

  async permalink(channel: string, ts: string): Promise<string> {
    return permalink.parse(await this.call('chat.getPermalink', { channel, message_ts: ts }, null)).permalink;
  }

  async history(channel: string, limit: number): Promise<ListedMessage[]> {
    return listedMessages.parse(await this.call('conversations.history', { channel, limit, include_all_metadata: true }, null)).messages;
  }

  async replies(channel: string, ts: string, limit: number): Promise<ListedMessage[]> {
    return listedMessages.parse(await this.call('conversations.replies', { channel, ts, limit, include_all_metadata: true }, null)).messages;
  }

  /** Who the bot is, and the workspace its token belongs to (auth.test, once). */
  whoAmI(): Promise<{ userId: string; botId: string | null; teamId: string | null }> {
    this.identity ??= this.call('auth.test', {}, null).then((raw) => {
      const parsed = authTest.parse(raw);
      return { userId: parsed.user_id, botId: parsed.bot_id ?? null, teamId: parsed.team_id ?? null };
    });
    this.identity.catch(() => (this.identity = null));
    return this.identity;
  }

  /** One Web API call with paperboy's retry policy; `channel` is told about 429s so its pacing backs off. */
  async call(method: string, args: Args, channel: string | null): Promise<unknown> {
    let failures = 0;
    let rateLimits = 0;
    for (;;) {
      const problem = classify(await this.transport.call(method, args));
      if (problem.kind === 'ok') return problem.body;
      if (problem.kind === 'rate_limited') {
        rateLimits++;
        if (rateLimits > this.retry.maxRateLimitWaits || problem.retryAfterMs > this.retry.maxRetryAfterMs) {
          throw new PaperboyError('rate_limited', `Slack ${method}: still rate limited after ${rateLimits} waits`, { retryAfterMs: problem.retryAfterMs, status: 429, userMessage: 'Slack is rate limiting paperboy; try again in a minute.' });
        }
        this.logger.warn({ method, channel, retryAfterMs: problem.retryAfterMs, wait: rateLimits }, 'slack: rate limited; waiting Retry-After');
        if (channel) {
          this.pacer.holdOff(channel, problem.retryAfterMs);
          await this.pacer.waitForSlot(channel);
        } else {
          await this.sleep(problem.retryAfterMs);
        }
        continue;
      }
      if (problem.kind === 'transient') {
        failures++;
        if (failures >= this.retry.maxAttempts) {
          throw new PaperboyError('slack_unavailable', `Slack ${method} failed ${failures} times: ${problem.detail}`, { status: problem.status, userMessage: "Couldn't reach Slack; try again in a minute." });
        }
        const delay = backoffDelay(failures, { baseMs: this.retry.baseDelayMs, capMs: this.retry.maxDelayMs, random: this.random });
        this.logger.warn({ method, channel, attempt: failures, delayMs: delay, err: problem.detail }, 'slack: call failed; retrying');
        await this.sleep(delay);
        continue;
      }
      throw toPaperboyError(method, problem);
    }
  }

  /** Closes the connections kept open to Slack. */
  close(): Promise<void> {
    return this.transport.close();
  }
}

type Problem =
  | { kind: 'ok'; body: unknown }
  | { kind: 'rate_limited'; retryAfterMs: number }
  | { kind: 'transient'; status?: number; detail: string }
  | { kind: 'platform'; code: string }
  | { kind: 'fatal'; status?: number; detail: string };

function classify(answer: WebApiAnswer): Problem {
  switch (answer.kind) {
    case 'ok':
    case 'rate_limited':
      return answer;
    case 'network':
      return { kind: 'transient', detail: answer.detail };
    case 'http':
      return answer.status >= 500 ? { kind: 'transient', status: answer.status, detail: `HTTP ${answer.status}` } : { kind: 'fatal', status: answer.status, detail: `HTTP ${answer.status}` };
    case 'platform':
      // Some Web API methods say so in the body instead of with HTTP 429.
      return answer.code === 'ratelimited' ? { kind: 'rate_limited', retryAfterMs: 1000 } : answer;
  }
}

function toPaperboyError(method: string, problem: Exclude<Problem, { kind: 'ok' | 'rate_limited' | 'transient' }>): PaperboyError {
  if (problem.kind === 'platform') {
    if (CHANNEL_GONE_ERRORS.has(problem.code)) {
      return new PaperboyError(CHANNEL_UNAVAILABLE, `Slack ${method}: ${problem.code}`, { userMessage: "paperboy can't post in this channel. Invite it with /invite @paperboy (private channels need that), then try again." });
    }
    return new PaperboyError(`slack_${problem.code}`, `Slack ${method}: ${problem.code}`, { userMessage: 'Slack refused that request; the error is logged.' });
  }
  return new PaperboyError('slack_api_error', `Slack ${method}: ${problem.detail}`, { status: problem.status });
}
