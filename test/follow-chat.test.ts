import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/logger.js';
import { createHuggingFaceSource } from '../src/papers/huggingface.js';
import { runFollowWatch } from '../src/schedule/follow-watch.js';
import { MANAGE_CHANNELS } from './fakes/discord-api.js';
import { makeHfEntry } from './fakes/hf-server.js';
import { startHarness as startDiscord, type Harness as DiscordHarness } from './fixtures/discord/harness.js';
import { buttonIn } from './fixtures/slack/buttons.js';
import { startHarness as startSlack, type Harness as SlackHarness } from './fixtures/slack/harness.js';
import { makePaper } from './support/papers.js';

const DAY = '2026-05-18';
const PAPER = '2605.15320';
const papers = [makePaper({ id: PAPER, title: 'Grokking Sparse Parities <!channel> Quickly', upvotes: 40 }), makePaper({ id: '2605.15298', title: 'Another paper', upvotes: 10 })];
const textOf = (body: unknown) => JSON.stringify(body);

/** The scheduler's follow job, against the harness's HF fake and the adapter's own publisher. */
async function watch(h: SlackHarness | DiscordHarness, platform: 'slack' | 'discord'): Promise<number> {
  const source = createHuggingFaceSource({ baseUrl: h.hf.url, maxAttempts: 1, rateLimit: false });
  try {
    return await runFollowWatch({ store: h.store, summariser: h.summariser, publishers: new Map([[platform, h.adapter.publisher]]), clock: () => new Date(), logger: silentLogger, source }, new Date());
  } finally {
    await source.close();
  }
}

/** HF starts listing the paper's code and a model citing it. */
function release(h: SlackHarness | DiscordHarness): void {
  h.hf.addPapers([makeHfEntry({ id: PAPER, title: 'Grokking Sparse Parities Quickly', githubRepo: 'https://github.com/acme/parities' }).paper]);
  h.hf.addRepos('models', [{ id: 'acme/parities-<!here>', arxiv: [PAPER] }]);
}

describe('Follow on Slack', () => {
  let h: SlackHarness;
  afterEach(async () => {
    expect(h.slack.rejected).toEqual([]);
    expect(h.slack.unknownMethods).toEqual([]);
    expect(h.hf.unknownRoutes).toEqual([]);
    await h.close();
  });

  it('the button on a digest paper follows it privately; the news is one reply in that paper’s thread, once', async () => {
    h = await startSlack({ env: { SLACK_ADMIN_USER_IDS: 'U0ADMIN01' } });
    const CHANNEL = 'C0FOLLOWS';
    h.hf.addPapers([makeHfEntry({ id: PAPER, title: 'Grokking Sparse Parities Quickly' }).paper]);
    await h.seedDay(DAY, papers);
    await h.slack.command(h.endpoint, { text: 'digest', channel: CHANNEL, user: 'U0ADMIN01' });
    await h.adapter.idle();
    const parent = h.slack.topLevel(CHANNEL)[0]!;
    const item = h.slack.replies(CHANNEL, parent.ts).find((m) => textOf(m.body).includes(`fol:${PAPER}`))!;
    const follow = buttonIn(item.body, 'paperboy.follow');
    expect(follow.value).toBe(`fol:${PAPER}`);

    const press = (user: string) => h.slack.action(h.endpoint, { actionId: follow.action_id, value: follow.value, channel: CHANNEL, user, message: { ts: item.ts, threadTs: item.threadTs } });
    const refused = await press('U0BOB0001');
    await h.adapter.idle();
    expect(textOf(h.slack.hookPostsFor(refused.hook))).toContain('Only people who can manage this channel');
    expect(await h.store.listFollows({ platform: 'slack', id: CHANNEL })).toEqual([]);

    const pressed = await press('U0ADMIN01');
    await h.adapter.idle();
    const [answer] = h.slack.hookPostsFor(pressed.hook);
    expect(answer).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(answer)).toContain(`(${PAPER}) — you'll get a reply in this paper’s thread when code, models or datasets appear`);

    const before = h.slack.messages.length;
    expect(await watch(h, 'slack')).toBe(0);
    expect(h.slack.messages.length).toBe(before);

    release(h);
    expect(await watch(h, 'slack')).toBe(1);
    expect(await watch(h, 'slack')).toBe(0);
    const news = h.slack.messages.slice(before);
    expect(news).toHaveLength(1);
    expect(news[0]!.threadTs).toBe(parent.ts);
    const shown = textOf(news[0]!.body);
    expect(shown).toContain('Code is out: <https://github.com/acme/parities|https://github.com/acme/parities>');
    expect(shown).toContain('Models: <https://huggingface.co/acme/parities-%3C!here%3E|acme/parities-&lt;!here&gt;>');
    expect(shown).not.toContain('<!channel>');
    expect(shown).not.toContain('<!here>');
  });

  it('typed: follow, following and unfollow, with the same grammar', async () => {
    h = await startSlack();
    h.hf.addPapers([makeHfEntry({ id: PAPER, title: 'Grokking Sparse Parities Quickly' }).paper]);
    const followed = await h.slack.command(h.endpoint, { text: `follow https://huggingface.co/papers/${PAPER}`, channel: 'C0TYPED01' });
    await h.adapter.idle();
    expect(textOf(followed.body) + textOf(h.slack.hookPostsFor(followed.hook))).toContain("you'll get a reply in this channel");
    const listed = await h.slack.command(h.endpoint, { text: 'following', channel: 'C0TYPED01' });
    expect(textOf(listed.body)).toContain(`${PAPER} “Grokking Sparse Parities Quickly”`);
    const bad = await h.slack.command(h.endpoint, { text: 'follow grokking', channel: 'C0TYPED01' });
    expect(textOf(bad.body)).toContain('is not an arXiv id or paper link');
    const removed = await h.slack.command(h.endpoint, { text: `unfollow ${PAPER}`, channel: 'C0TYPED01' });
    expect(textOf(removed.body)).toContain(`Stopped following ${PAPER}`);
  });
});

describe('Follow on Discord', () => {
  let h: DiscordHarness;
  afterEach(async () => {
    await h.adapter.idle();
    expect(h.discord.unknownRoutes).toEqual([]);
    expect(h.discord.rejected).toEqual([]);
    expect(h.hf.unknownRoutes).toEqual([]);
    await h.close();
  });

  it('the button in a digest thread follows the paper; the news is one message in that thread, once', async () => {
    h = await startDiscord({ discord: { routeLimits: { 'POST /channels/:id/messages': { limit: 50, windowMs: 1000 } } } });
    h.hf.addPapers([makeHfEntry({ id: PAPER, title: 'Grokking Sparse Parities Quickly' }).paper]);
    await h.seedDay(DAY, papers);
    const channel = h.discord.addChannel();
    await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel, `digest ${DAY}`, { permissions: MANAGE_CHANNELS }));
    await h.adapter.idle();
    const thread = h.discord.messagesIn(channel)[0]!.threadId!;
    const item = h.discord.messagesIn(thread).find((m) => textOf(m.body.components).includes(`"fol:${PAPER}"`))!;
    const labels = (item.body.components as { components: { label: string }[] }[]).flatMap((row) => row.components.map((b) => b.label));
    expect(labels).toEqual(expect.arrayContaining(['Summarise', 'Abstract', 'Follow']));

    const refused = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.button(thread, `fol:${PAPER}`, { id: item.id }));
    await h.adapter.idle();
    expect(textOf(refused.body) + textOf(refused.interaction.original?.edits ?? [])).toContain('Only people who can manage this channel');

    const pressed = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.button(thread, `fol:${PAPER}`, { id: item.id }, { permissions: MANAGE_CHANNELS }));
    await h.adapter.idle();
    const answered = textOf(pressed.body) + textOf(pressed.interaction.original?.edits ?? []);
    expect(answered).toContain(`(${PAPER}) — you'll get a reply`);
    expect(Number((pressed.body?.data as { flags?: number } | undefined)?.flags ?? 64) & 64).toBe(64);

    const before = h.discord.messagesIn(thread).length;
    expect(await watch(h, 'discord')).toBe(0);
    release(h);
    expect(await watch(h, 'discord')).toBe(1);
    expect(await watch(h, 'discord')).toBe(0);
    const news = h.discord.messagesIn(thread).slice(before);
    expect(news).toHaveLength(1);
    expect(news[0]!.body.allowed_mentions).toEqual({ parse: [] });
    expect(textOf(news[0]!.body)).toContain('Code is out: [https://github.com/acme/parities](https://github.com/acme/parities)');
    expect(textOf(news[0]!.body)).toContain('Models: [acme/parities-');
    expect(h.discord.messagesIn(channel)).toHaveLength(1);
  });

  it('search results carry a Follow button per paper within Discord’s row limits', async () => {
    h = await startDiscord();
    await h.seedDay(DAY, papers);
    const channel = h.discord.addChannel();
    const search = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel, 'grokking'));
    await h.adapter.idle();
    const body = textOf(search.body) + textOf(search.interaction.original?.edits ?? []);
    expect(body).toContain(`"custom_id":"fol:${PAPER}"`);
    expect(body).toContain('"label":"Follow 1"');
  });
});
