import { errorMessage } from '../../src/errors.js';
import type { RecentKeys } from '../../src/http/recent-keys.js';
import { FAILED, InteractionAnswer, type Respond } from './answer.js';
import { autocompleteChoices } from './autocomplete.js';
import type { ChannelKinds } from './channel-kinds.js';
import { runButton } from './button-flow.js';
import { runCommand } from './command-flow.js';
import type { FlowDeps } from './flow-deps.js';
import type { Interaction } from './inbound.js';
import { renderText } from './render.js';

export interface InteractionHandlerDeps extends FlowDeps {
  kinds: ChannelKinds;
  /** Interaction ids handled lately (here or on another replica): a replayed signed request runs nothing. */
  recent: RecentKeys;
  /** Answer directly when the work finishes within this; otherwise defer (see `InteractionAnswer`). */
  deferAfterMs: number;
}

/**
 * The one interaction handler both transports feed: HTTP (`POST /discord/interactions`) and the gateway.
 * `handle` resolves once the interaction has its direct answer; work that completes a deferred answer keeps
 * running and is awaited by `idle()`.
 */
export class InteractionHandler {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: InteractionHandlerDeps) {}

  async handle(interaction: Interaction, respond: Respond): Promise<void> {
    if (interaction.kind === 'ping') return respond({ type: 1 });
    const { deps } = this;
    const { base } = interaction;
    // Discord sends each interaction once; the same id again is someone replaying captured bytes within the
    // signature window. Answered harmlessly, and only to whoever sent it.
    if (await deps.recent.seen(base.id)) return respond({ type: 4, data: renderText('That interaction was already handled.') });
    if (base.channelType !== null) deps.kinds.set(base.channelId, base.channelType, base.guildId);
    const answer = new InteractionAnswer(base, respond, { api: deps.api, logger: deps.logger, deferAfterMs: deps.deferAfterMs, track: (work) => this.track(work) });
    const started = performance.now();
    try {
      switch (interaction.kind) {
        case 'command':
          return await runCommand(deps, answer, base, interaction.name, interaction.text);
        case 'autocomplete': {
          // Suggestions are a nicety: on any trouble, none rather than an error.
          const choices = await autocompleteChoices(deps.commands, interaction.text).catch(() => []);
          return await answer.send({ type: 8, data: { choices } });
        }
        case 'button':
          return await runButton(deps, answer, base, interaction.customId, interaction.message);
        case 'unsupported':
          return await answer.say(renderText("paperboy doesn't handle that kind of interaction."));
      }
    } catch (error) {
      deps.logger.error({ err: errorMessage(error), interaction: base.id, kind: interaction.kind }, 'discord: interaction failed');
      if (!answer.answered) await answer.say(renderText(FAILED));
    } finally {
      deps.logger.debug({ interaction: base.id, kind: interaction.kind, ms: Math.round(performance.now() - started) }, 'discord: interaction answered');
    }
  }

  /** Resolves when every deferred answer and follow-up has been sent. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track(work: Promise<void>): void {
    const tracked: Promise<void> = work
      .catch((error: unknown) => this.deps.logger.warn({ err: errorMessage(error) }, 'discord: follow-up failed'))
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}
