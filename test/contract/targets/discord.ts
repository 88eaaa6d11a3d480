import { createDiscordPublisher } from '../../../adapters/discord/adapter.js';
import type { DiscordSettings } from '../../../adapters/discord/settings.js';
import { encodeButton } from '../../../src/commands/buttons.js';
import { silentLogger } from '../../../src/logger.js';
import { startHarness } from '../../fixtures/discord/harness.js';
import type { ContractTarget } from '../contract-target.js';

const paperIdOf = (body: unknown) => /huggingface\.co\/papers\/(\d{4}\.\d{4,5})/.exec(JSON.stringify((body as { embeds?: unknown }).embeds ?? ''))?.[1] ?? null;
const EPHEMERAL = 64;

/** Discord over HTTP interactions, against the fake REST API with Discord's buckets (fast ones for posting). */
export const discordTarget: ContractTarget = {
  name: 'discord',
  can: { receive: true, resume: true, loseChannels: true },
  async start({ day, papers }) {
    const h = await startHarness({ discord: { routeLimits: { 'POST /channels/:id/messages': { limit: 50, windowMs: 1000 } } } });
    await h.seedDay(day, papers);
    const settings = h.config.platforms.find((p) => p.descriptor.name === 'discord')!.settings as DiscordSettings;
    let lost = 0;
    const answerOf = async (payload: Record<string, unknown>) => {
      const sent = await h.discord.sendInteraction(h.endpoint, payload);
      await h.adapter.idle();
      const interaction = sent.interaction;
      return { text: JSON.stringify([sent.body, ...(interaction.original?.edits ?? []), ...interaction.followUps.map((m) => m.body)]) };
    };
    return {
      store: h.store,
      summariser: h.summariser,
      publisher: h.adapter.publisher,
      restartedPublisher: async () => createDiscordPublisher(settings, silentLogger, { retries: 0 }),
      newChannel: () => ({ platform: 'discord', id: h.discord.addChannel() }),
      goneChannel() {
        // Alternately a deleted channel and one the bot was removed from.
        const id = h.discord.addChannel();
        if (++lost % 2) h.discord.removeChannel(id);
        else h.discord.revokeAccess(id);
        return { platform: 'discord', id };
      },
      posts: (channel) =>
        h.discord.messagesIn(channel.id).map((parent) => ({
          id: parent.id,
          thread: parent.threadId ? h.discord.messagesIn(parent.threadId).map((m) => paperIdOf(m.body)) : [],
        })),
      sentBodies: () => h.discord.requests.filter((r) => r.method !== 'GET').map((r) => r.body),
      // Only `allowed_mentions: {parse: []}` stops Discord from pinging what the text names.
      canPing: (body) => {
        const message = (body as { data?: unknown }).data ?? body;
        const typed = message as { allowed_mentions?: unknown; content?: unknown; embeds?: unknown };
        if (typed.content === undefined && typed.embeds === undefined) return false;
        return JSON.stringify(typed.allowed_mentions) !== '{"parse":[]}';
      },
      pingingBody: { content: '@everyone look' },
      refused: () => [...h.discord.rejected, ...h.discord.unknownRoutes],
      command: (channel, text) => answerOf(h.discord.interaction.command(channel.id, text)),
      press: (channel, where, button) => {
        const customId = encodeButton(button, 100);
        if (where === 'private') return answerOf(h.discord.interaction.button(channel.id, customId, { id: '1241234567890123456', flags: EPHEMERAL }));
        return answerOf(h.discord.interaction.button(where.parent.threadId ?? channel.id, customId, { id: where.item }));
      },
      close: () => h.close(),
    };
  },
};
