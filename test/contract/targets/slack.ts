import { createSlackPublisher } from '../../../adapters/slack/adapter.js';
import { ACTION } from '../../../adapters/slack/button-values.js';
import type { SlackSettings } from '../../../adapters/slack/settings.js';
import { encodeButton } from '../../../src/commands/buttons.js';
import { silentLogger } from '../../../src/logger.js';
import { startHarness } from '../../fixtures/slack/harness.js';
import { harmsIn } from '../../fixtures/slack/hostile.js';
import type { ContractTarget } from '../contract-target.js';

/** Slack through Bolt, over HTTP mode, against the fake Web API (paced at 1 ms so the suite is quick). */
export const slackTarget: ContractTarget = {
  name: 'slack',
  can: { receive: true, resume: true, loseChannels: true },
  async start({ day, papers }) {
    const h = await startHarness({ slack: { postIntervalMs: 1 } });
    await h.seedDay(day, papers);
    const settings = h.config.platforms.find((p) => p.descriptor.name === 'slack')!.settings as SlackSettings;
    let channels = 0;
    const answerOf = async (sent: { body: unknown; hook: string }) => {
      await h.adapter.idle();
      return { text: JSON.stringify([sent.body, ...h.slack.hookPostsFor(sent.hook)]) };
    };
    return {
      store: h.store,
      summariser: h.summariser,
      publisher: h.adapter.publisher,
      restartedPublisher: async () => createSlackPublisher(settings, silentLogger, { pacing: { intervalMs: 1, workspacePerMinute: null } }),
      newChannel: () => ({ platform: 'slack', id: `C0CONTRACT${++channels}` }),
      goneChannel() {
        const id = `C0GONE${++channels}`;
        h.slack.setChannel(id, channels % 2 ? 'missing' : 'not_in_channel');
        return { platform: 'slack', id };
      },
      posts: (channel) =>
        h.slack.topLevel(channel.id).map((parent) => ({
          id: parent.ts,
          thread: h.slack.replies(channel.id, parent.ts).map((m) => {
            const payload = (m.body.metadata as { event_payload?: { paper?: unknown } } | undefined)?.event_payload;
            return typeof payload?.paper === 'string' ? payload.paper : null;
          }),
        })),
      sentBodies: () => [...h.slack.messages.flatMap((m) => [m.body, ...m.edits]), ...h.slack.hookPosts.map((p) => p.body), ...h.slack.ephemerals.map((e) => e.body)],
      canPing: (body) => harmsIn(body as Record<string, unknown>).length > 0,
      pingingBody: { text: 'hi', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '<!channel> look' } }] },
      refused: () => [...h.slack.rejected, ...h.slack.unknownMethods],
      command: async (channel, text) => answerOf(await h.slack.command(h.endpoint, { text, channel: channel.id })),
      press: async (channel, where, button) =>
        answerOf(
          await h.slack.action(h.endpoint, {
            actionId: ACTION[button.kind],
            value: encodeButton(button, 2000),
            channel: channel.id,
            message: where === 'private' ? null : { ts: where.item, threadTs: where.parent.id },
          }),
        ),
      close: () => h.close(),
    };
  },
};
