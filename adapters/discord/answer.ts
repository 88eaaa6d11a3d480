import { errorMessage } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { DiscordApi, InteractionResponse } from './api.js';
import type { InteractionBase } from './inbound.js';
import { EPHEMERAL } from './limits.js';
import { assertSendable, NO_MENTIONS, type DiscordMessage } from './message.js';
import { renderText } from './render.js';

/** Sends the first (and only) direct answer: the HTTP response body, or the gateway-mode callback. */
export type Respond = (response: InteractionResponse) => Promise<void>;

export interface AnswerDeps {
  api: DiscordApi;
  logger: Logger;
  /** Answer directly when the work is done within this; otherwise defer and edit the answer in later. */
  deferAfterMs: number;
  /** Keeps work that outlives the direct answer, so `stop()` and tests can wait for it. */
  track: (work: Promise<void>) => void;
}

export const FAILED = 'Something went wrong on our side; please try again in a moment.';

/**
 * Answers one interaction within Discord's 3 seconds. Work expected to be slow is deferred at once (type 5,
 * ephemeral); other work gets `deferAfterMs` to finish and is answered directly (type 4) if it does, deferred
 * if not. A deferred answer is completed by editing `@original`; further messages are follow-ups.
 */
export class InteractionAnswer {
  private responded = false;

  constructor(
    private readonly base: InteractionBase,
    private readonly respond: Respond,
    private readonly deps: AnswerDeps,
  ) {}

  async answer(work: () => Promise<DiscordMessage[]>, options: { deferNow?: boolean } = {}): Promise<void> {
    const result = work().catch((error: unknown) => {
      // Command handlers never throw; this is REST or store trouble. The person still gets an answer.
      this.deps.logger.error({ err: errorMessage(error), interaction: this.base.id }, 'discord: interaction work failed');
      return [renderText(FAILED)];
    });
    if (options.deferNow) return this.deferThen(result);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), this.deps.deferAfterMs)));
    const first = await Promise.race([result, timeout]);
    clearTimeout(timer);
    if (first === null) return this.deferThen(result);
    const [initial, ...rest] = first;
    await this.sendThen({ type: 4, data: initial! }, rest.length > 0 ? () => this.followUps(rest) : null);
  }

  /** A direct answer that needs no work (refusals, "already done", pong-like replies). */
  async say(message: DiscordMessage): Promise<void> {
    await this.send({ type: 4, data: message });
  }

  async send(response: InteractionResponse): Promise<void> {
    if (this.responded) throw new Error('interaction already answered');
    if (response.type === 4) assertSendable(response.data);
    this.responded = true;
    await this.respond(response);
  }

  get answered(): boolean {
    return this.responded;
  }

  private deferThen(result: Promise<DiscordMessage[]>): Promise<void> {
    return this.sendThen({ type: 5, data: { flags: EPHEMERAL, allowed_mentions: NO_MENTIONS } }, () => this.complete(result));
  }

  /**
   * Sends `response`, then runs `next` (follow-ups, the edit that completes a deferral), tracked from now rather than
   * once Discord has the response: in gateway mode that is a request of its own, and a stop (or a test) waiting
   * meanwhile would miss what is still to come. A response that fails throws here, and `next` does not run.
   */
  private async sendThen(response: InteractionResponse, next: (() => Promise<void>) | null): Promise<void> {
    const sent = this.send(response);
    if (next) this.deps.track(sent.then(next, () => undefined));
    await sent;
  }

  private async complete(result: Promise<DiscordMessage[]>): Promise<void> {
    const [first, ...rest] = await result;
    const { api, logger } = this.deps;
    try {
      if (first && (first.flags ?? 0) & EPHEMERAL) {
        await api.editOriginal(this.base.applicationId, this.base.token, first);
        await this.followUps(rest);
      } else {
        // The deferred answer is ephemeral, so a reply meant for the channel follows it as a public message.
        await api.editOriginal(this.base.applicationId, this.base.token, renderText('Done.'));
        await this.followUps(first ? [first, ...rest] : rest);
      }
    } catch (error) {
      logger.warn({ err: errorMessage(error), interaction: this.base.id }, 'discord: completing a deferred answer failed');
    }
  }

  private async followUps(messages: DiscordMessage[]): Promise<void> {
    for (const message of messages) await this.deps.api.followUp(this.base.applicationId, this.base.token, message);
  }
}
