/**
 * What a channel member (or someone who captured a request) can make the bot do, through real HTTP into the
 * Slack and Discord fakes: posting for everyone is the channel managers' call and paced per channel; nothing a
 * user typed becomes a link in a public message; a replayed signed interaction runs nothing; each person's
 * commands are rate-limited politely; credentials in URLs never reach an error line or a log.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.js';
import { createLogger, silentLogger } from '../src/logger.js';
import { runSubscriptionAlerts } from '../src/schedule/alerts.js';
import { MANAGE_CHANNELS } from './fakes/discord-api.js';
import { linkTargets as discordLinks } from './fixtures/discord/discord-rules.js';
import { startHarness as startDiscord, type Harness as DiscordHarness } from './fixtures/discord/harness.js';
import { linkTargets as slackLinks } from './fixtures/slack/block-kit.js';
import { startHarness as startSlack, type Harness as SlackHarness } from './fixtures/slack/harness.js';
import { makePaper } from './support/papers.js';

const DAY = '2026-05-18';
const EARLIER_DAY = '2026-05-15';
const papers = [
  makePaper({ id: '2605.00001', title: 'Grokking at scale', upvotes: 90 }),
  makePaper({ id: '2605.00002', title: 'Sparse attention', upvotes: 30 }),
];
const earlier = [makePaper({ id: '2605.00003', title: 'Grokking, earlier', upvotes: 40 })];
const textOf = (body: unknown) => JSON.stringify(body);
const ADMIN = 'U0ADMIN01';
const evil = (targets: string[]) => targets.filter((target) => target.includes('evil'));
/** Discord markdown as read: escapes (`\[`) gone. */
const shown = (text: unknown) => String(text).replace(/\\+(.)/g, '$1');

describe('Slack', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlack({ env: { SLACK_ADMIN_USER_IDS: ADMIN } });
    await h.seedDay(DAY, papers);
    await h.seedDay(EARLIER_DAY, earlier);
  });
  afterAll(async () => {
    expect(h.slack.rejected).toEqual([]);
    await h.close();
  });

  it('lets only admins post a digest, and only one new digest per channel every 10 minutes', async () => {
    const channel = 'C0POSTING';
    const refused = await h.slack.command(h.endpoint, { text: `digest ${DAY}`, user: 'U0SOMEONE', channel });
    expect(refused.body).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(refused.body)).toContain('Only people who can manage this channel can post digests here');
    await h.adapter.idle();
    expect(h.slack.topLevel(channel)).toEqual([]);

    const posted = await h.slack.command(h.endpoint, { text: `digest ${DAY}`, user: ADMIN, channel });
    await h.adapter.idle();
    expect(textOf(h.slack.hookPostsFor(posted.hook))).toContain('Posted 2 papers');
    const another = await h.slack.command(h.endpoint, { text: `digest ${EARLIER_DAY}`, user: ADMIN, channel });
    await h.adapter.idle();
    expect(textOf([another.body, ...h.slack.hookPostsFor(another.hook)])).toContain('A digest was posted here by command in the last 10 minutes');
    expect(h.slack.topLevel(channel)).toHaveLength(1);
  });

  it('does not count a digest that could not be posted at all against the 10 minutes', async () => {
    const channel = 'C0NOTJOIN';
    h.slack.setChannel(channel, 'not_in_channel');
    const refused = await h.slack.command(h.endpoint, { text: `digest ${DAY}`, user: ADMIN, channel });
    await h.adapter.idle();
    expect(textOf(h.slack.hookPostsFor(refused.hook))).toMatch(/invite|not in this channel|can't post/i);
    // The bot is invited; the digest goes out at once.
    h.slack.setChannel(channel, 'ok');
    const posted = await h.slack.command(h.endpoint, { text: `digest ${DAY}`, user: ADMIN, channel });
    await h.adapter.idle();
    expect(textOf(h.slack.hookPostsFor(posted.hook))).toContain('Posted 2 papers');
    expect(h.slack.topLevel(channel)).toHaveLength(1);
  });

  it('refuses a subscription to a URL, and shows a typed domain so Slack cannot link it', async () => {
    const channel = 'C0LINKS01';
    const url = await h.slack.command(h.endpoint, { text: 'subscribe https://evil.example/login grokking', user: ADMIN, channel });
    expect(url.body).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(url.body)).toContain('leave out the URL');
    expect(await h.store.listSubscriptions({ platform: 'slack', id: channel })).toEqual([]);

    const domain = await h.slack.command(h.endpoint, { text: 'subscribe evil.example grokking', user: ADMIN, channel });
    expect(domain.body).toMatchObject({ response_type: 'in_channel' });
    expect(textOf(domain.body)).toContain('evil[.]example grokking');
    expect(evil(slackLinks(domain.body as Record<string, unknown>))).toEqual([]);
  });

  it('posts alerts for a stored subscription holding a URL without making it a link', async () => {
    const channel = { platform: 'slack' as const, id: 'C0ALERTS1' };
    // As saved before URLs were refused.
    await h.store.addSubscription(channel, 'grokking OR https://evil.example/login', ADMIN, new Date());
    await h.store.setState('alerts.watermark', '2026-01-01T00:00:00.000Z');
    const deps = { store: h.store, summariser: h.summariser, publishers: new Map([['slack', h.adapter.publisher]]), clock: () => new Date(), logger: silentLogger };
    expect(await runSubscriptionAlerts(deps, new Date())).toBe(1);
    const sent = h.slack.messages.filter((m) => m.channel === channel.id);
    expect(sent.length).toBeGreaterThan(1);
    expect(textOf(sent.map((m) => m.body))).toContain('evil[.]example');
    for (const message of sent) expect(evil(slackLinks(message.body))).toEqual([]);
  });

  it('answers a person over 10 commands a minute politely, and nobody else', async () => {
    const answers = [];
    for (let i = 0; i < 11; i++) answers.push(await h.slack.command(h.endpoint, { text: 'grokking', user: 'U0BUSYONE', channel: 'C0RATE001' }));
    expect(answers.slice(0, 10).every((a) => textOf(a.body).includes('Grokking at scale'))).toBe(true);
    expect(answers[10]!.body).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(answers[10]!.body)).toMatch(/faster than paperboy answers them \(10 a minute\)\. Try again in \d+ seconds?\./);
    const other = await h.slack.command(h.endpoint, { text: 'grokking', user: 'U0CALMONE', channel: 'C0RATE001' });
    expect(textOf(other.body)).toContain('Grokking at scale');
  });
});

describe('Discord', () => {
  let h: DiscordHarness;
  beforeAll(async () => {
    h = await startDiscord({ discord: { routeLimits: { 'POST /channels/:id/messages': { limit: 50, windowMs: 1000 } } } });
    await h.seedDay(DAY, papers);
    await h.seedDay(EARLIER_DAY, earlier);
  });
  afterAll(async () => {
    await h.adapter.idle();
    expect(h.discord.rejected).toEqual([]);
    await h.close();
  });

  it('lets only members who can manage the channel post a digest, one new digest every 10 minutes', async () => {
    const channel = h.discord.addChannel();
    const refused = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel, `digest ${DAY}`));
    expect(String(refused.body?.data?.content)).toContain('Only people who can manage this channel can post digests here');
    await h.adapter.idle();
    expect(h.discord.messagesIn(channel)).toEqual([]);

    await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel, `digest ${DAY}`, { permissions: MANAGE_CHANNELS }));
    await h.adapter.idle();
    expect(h.discord.messagesIn(channel)).toHaveLength(1);
    const another = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel, `digest ${EARLIER_DAY}`, { permissions: MANAGE_CHANNELS }));
    await h.adapter.idle();
    expect(textOf([another.body, another.interaction.original?.edits])).toContain('A digest was posted here by command in the last 10 minutes');
    expect(h.discord.messagesIn(channel)).toHaveLength(1);
  });

  it('runs a replayed signed interaction (same bytes, same id) once', async () => {
    const channel = h.discord.addChannel();
    const admin = { permissions: MANAGE_CHANNELS, userId: '80351110224670001' };
    const send = async (payload: Record<string, unknown>) => (await h.discord.sendInteraction(h.endpoint, payload)).body;
    await send(h.discord.interaction.command(channel, 'subscribe alpha', admin));
    const { raw, headers } = h.discord.signedRequest(h.discord.interaction.command(channel, 'unsubscribe all', admin));
    const post = async () => (await fetch(h.endpoint, { method: 'POST', headers, body: raw })).json();
    expect(textOf(await post())).toContain('Removed all 1 subscription');
    await send(h.discord.interaction.command(channel, 'subscribe alpha', admin));

    const replayed = await post();
    expect(replayed).toMatchObject({ type: 4, data: { content: 'That interaction was already handled.', flags: 64 } });
    expect((await h.store.listSubscriptions({ platform: 'discord', id: channel })).map((s) => s.query)).toEqual(['alpha']);
  });

  it('shows a typed domain so Discord cannot link it, and refuses a URL', async () => {
    const channel = h.discord.addChannel();
    const admin = { permissions: MANAGE_CHANNELS, userId: '80351110224670002' };
    const url = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel, 'subscribe https://evil.example/login grokking', admin));
    expect(String(url.body?.data?.content)).toContain('leave out the URL');
    const domain = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel, 'subscribe evil.example grokking', admin));
    expect(shown(domain.body?.data?.content)).toContain('evil[.]example grokking');
    expect(evil(discordLinks(domain.body))).toEqual([]);
  });

  it('posts alerts for a stored subscription holding a URL without making it a link', async () => {
    const channel = { platform: 'discord' as const, id: h.discord.addChannel() };
    await h.store.addSubscription(channel, 'grokking OR https://evil.example/login', 'someone', new Date());
    await h.store.setState('alerts.watermark', '2026-01-01T00:00:00.000Z');
    const deps = { store: h.store, summariser: h.summariser, publishers: new Map([['discord', h.adapter.publisher]]), clock: () => new Date(), logger: silentLogger };
    expect(await runSubscriptionAlerts(deps, new Date())).toBeGreaterThanOrEqual(1);
    const parent = h.discord.messagesIn(channel.id)[0]!;
    const sent = [parent, ...h.discord.messagesIn(parent.threadId!)];
    expect(shown(textOf(sent.map((m) => m.body)))).toContain('evil[.]example');
    for (const message of sent) expect(evil(discordLinks(message.body))).toEqual([]);
  });

  it('answers a person over 10 commands a minute politely, and nobody else', async () => {
    const channel = h.discord.addChannel();
    const answers = [];
    for (let i = 0; i < 11; i++) answers.push(await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel, 'grokking', { userId: '80351110224670003' })));
    expect(answers.slice(0, 10).every((a) => textOf(a.body).includes('Grokking at scale'))).toBe(true);
    expect(answers[10]!.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(String(answers[10]!.body?.data?.content)).toMatch(/faster than paperboy answers them \(10 a minute\)\. Try again in \d+ seconds?\./);
    const other = await h.discord.sendInteraction(h.endpoint, h.discord.interaction.command(channel, 'grokking', { userId: '80351110224670004' }));
    expect(textOf(other.body)).toContain('Grokking at scale');
  });
});

describe('credentials in URLs', () => {
  it('are never echoed in a config error, even in a URL the parser refuses', () => {
    for (const [name, value] of [
      ['HF_API_URL', 'ftp://hfuser:hf-s3cret@hf.example/'],
      ['OPENAI_BASE_URL', 'https://key:sk-s3cret@llm.example:notaport/v1'],
      ['OPENAI_BASE_URL', 'key:sk-s3cret@llm.example/v1'],
    ] as const) {
      let message = '';
      try {
        parseConfig({ [name]: value });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        message = (error as Error).message;
      }
      expect(message).toContain(name);
      expect(message).not.toMatch(/s3cret|hfuser/);
    }
  });

  it('are cut from every string logged: messages, fields, nested values and errors', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
    const logger = createLogger('info', sink);
    logger.warn('retrying https://user:pa55word@slack.example/api/chat.postMessage');
    logger.warn({ url: 'https://u:pa55word@hf.example/', nested: { urls: ['http://q:pa55word@llm.example/'] }, err: new Error('connect https://a:pa55word@db.example failed'), at: new Date(0) }, 'failed');
    expect(lines).toHaveLength(2);
    expect(lines.join('')).not.toContain('pa55word');
    expect(lines.join('')).toContain('https://***@slack.example/api/chat.postMessage');
    expect(JSON.parse(lines[1]!)).toMatchObject({ err: { type: 'Error', message: 'connect https://***@db.example failed' }, at: '1970-01-01T00:00:00.000Z' });
  });
});
