import { describe, expect, it } from 'vitest';
import { escapeMarkdown, markdown, plain } from '../adapters/discord/escape.js';
import { discordMessageSchema, embedChars, type DiscordMessage } from '../adapters/discord/message.js';
import { packEmbeds } from '../adapters/discord/pack.js';
import { digestThreadName, renderDigestGroup, renderDigestItem, renderDigestParent, renderReply } from '../adapters/discord/render.js';
import type { PaperCard, Reply } from '../src/commands/command.js';
import { HELP_ENTRIES } from '../src/commands/help.js';
import type { Digest, DigestItem } from '../src/digest/digest.js';
import { paperLinks, type Paper } from '../src/papers/paper.js';
import type { Summary } from '../src/summarise/summary.js';
import { harmfulIn, HOSTILE_TEXT, hostilePapers, stringsIn } from './fixtures/discord/hostile.js';
import { makePaper } from './support/papers.js';
import { MAX_DISCUSSED } from '../src/digest/build-digest.js';
import type { EarlierPost } from '../src/delivery/earlier-post.js';

const earlierPost = (paperId: string): EarlierPost => ({ channel: { platform: 'discord', id: '1'.repeat(18) }, paperId, key: 'daily:2026-05-11', message: { id: '2'.repeat(19), threadId: '1'.repeat(19) }, parentMessageId: '1'.repeat(19), postedAt: new Date('2026-05-11T09:00:00Z') });

const summary = (text: string): Summary => ({ tldr: text, keyPoints: [text, text, text], whyItMatters: text, source: 'llm', model: 'gpt-4o-mini' });
const item = (paper: Paper, rank = 1): DigestItem => ({ rank, paper, links: paperLinks(paper), summary: summary(paper.abstract) });
const card = (paper: Paper): PaperCard => ({ paper, links: paperLinks(paper), day: '2026-05-18' });
const digestOf = (papers: Paper[]): Digest => ({ kind: 'daily', key: 'daily:2026-05-18', day: '2026-05-18', title: 'Trending papers · Mon 18 May', items: papers.map((p, i) => item(p, i + 1)), alreadyReceived: 0 });

/** Accepted by Discord's limits, and nothing in it can ping or hide a link. */
function expectSendable(message: DiscordMessage): void {
  const result = discordMessageSchema.safeParse(message);
  expect(result.error?.issues ?? []).toEqual([]);
  for (const text of stringsIn(message)) expect(harmfulIn(text), text.slice(0, 120)).toBeNull();
}

describe('escaping third-party text', () => {
  it('breaks every mention form and escapes markdown', () => {
    for (const i of [0, 1, 2, 5]) expect(harmfulIn(HOSTILE_TEXT[i]!)).not.toBeNull();
    for (const text of HOSTILE_TEXT) expect(harmfulIn(escapeMarkdown(text))).toBeNull();
    expect(escapeMarkdown('**a** _b_ ~c~ `d` |e| [f](g)')).toBe('\\*\\*a\\*\\* \\_b\\_ \\~c\\~ \\`d\\` \\|e\\| \\[f\\](g)');
    expect(escapeMarkdown('- item\n1. first\n# h\n> q')).toBe('\\- item\n1\\. first\n\\# h\n\\> q');
    expect(escapeMarkdown('state-of-the-art 3.5')).toBe('state-of-the-art 3.5');
  });

  it('cuts to the limit without splitting an escape, a mention breaker or a surrogate pair', () => {
    for (let max = 2; max < 40; max++) {
      for (const text of ['*'.repeat(50), '@everyone '.repeat(10), '<@&123456789012345678>'.repeat(3), '🧠'.repeat(40), 'a\\'.repeat(30)]) {
        const out = markdown(text, max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(out.endsWith('…')).toBe(true);
        expect(harmfulIn(out)).toBeNull();
        expect(/\\…$/.test(out.replace(/\\\\/g, ''))).toBe(false);
        expect(/[\ud800-\udbff]…$/.test(out)).toBe(false);
      }
    }
  });

  it('keeps plain fields readable: no backslashes, mentions still broken', () => {
    expect(plain('  Ada  *Lovelace*\n @everyone ', 256)).toBe('Ada *Lovelace* @\u200beveryone');
  });
});

describe('digest rendering', () => {
  it('fits 25 papers with maximal titles into the parent', () => {
    const papers = Array.from({ length: 25 }, (_, i) => makePaper({ id: `2605.${15300 + i}`, title: `${'Long title '.repeat(40)}${i}` }));
    const parent = renderDigestParent(digestOf(papers));
    expectSendable(parent);
    expect(parent.embeds![0]!.description!.split('\n')).toHaveLength(25);
    expect(digestThreadName(digestOf(papers)).length).toBeLessThanOrEqual(100);
  });

  it('renders every hostile paper as one sendable message with links, Summarise, Abstract and Follow', () => {
    for (const paper of hostilePapers()) {
      const message = renderDigestItem({ ...item(paper), matchedSubscription: HOSTILE_TEXT.join(' ') });
      expectSendable(message);
      const ids = message.components!.flatMap((row) => row.components.flatMap((b) => ('custom_id' in b ? [b.custom_id] : [])));
      expect(ids).toEqual([`sum:${paper.id}`, `abs:${paper.id}`, `fol:${paper.id}`]);
    }
    expectSendable(renderDigestParent(digestOf(hostilePapers())));
    expectSendable(renderDigestGroup(HOSTILE_TEXT.join(' '), digestOf(hostilePapers()).items));
  });

  it('already-discussed papers: a field of linked pointers in the parent, or one line alone; only message links are linked', () => {
    const papers = Array.from({ length: 25 }, (_, i) => makePaper({ id: `2605.${15300 + i}`, title: `${'Long title '.repeat(40)}${i}` }));
    const pointers = [...hostilePapers(), ...papers].slice(0, MAX_DISCUSSED).map((paper, i) => ({
      paper,
      links: paperLinks(paper),
      discussed: { post: earlierPost(paper.id), day: '2026-05-11', url: i === 0 ? 'https://evil.example/x' : `https://discord.com/channels/281683040739262465/${'1'.repeat(19)}/${'2'.repeat(19)}` },
    }));
    const parent = renderDigestParent({ ...digestOf(papers), discussed: pointers });
    expectSendable(parent);
    const field = parent.embeds![0]!.fields![0]!;
    expect(field.name).toBe('Already discussed here');
    expect(field.value).not.toContain('evil.example');
    expect(field.value).toContain(`](https://discord.com/channels/281683040739262465/${'1'.repeat(19)}/${'2'.repeat(19)}) · Mon 11 May`);
    // Five pointers with long titles fit one field whole.
    expect(field.value.split('\n')).toHaveLength(MAX_DISCUSSED);
    const alone = renderDigestParent({ ...digestOf([]), discussed: pointers.slice(1, 2) });
    expectSendable(alone);
    expect([alone.embeds, alone.content?.startsWith('💬 Already discussed here: ')]).toEqual([undefined, true]);
    const searched = renderReply({ type: 'papers', visibility: 'private', query: 'q', cards: papers.slice(0, 10).map((paper) => ({ ...card(paper), discussed: pointers[1]!.discussed })), offset: 0, nextOffset: 10, includesRemote: false });
    for (const message of searched) expectSendable(message);
  });

  it('survives random text built from the characters that matter', () => {
    const alphabet = ['@', 'everyone', 'here', '<', '>', '#', '&', '*', '_', '~', '`', '|', '[', ']', '(', ')', '\\', '-', '1.', '\n', ' ', '🧠', 'a', ':', '/', 'https://x.y'];
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let run = 0; run < 300; run++) {
      const text = Array.from({ length: Math.floor(random() * 400) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const paper = makePaper({ id: '2605.15298', title: text, abstract: text.repeat(20), authors: [text, text], organization: text });
      expectSendable(renderDigestItem(item(paper)));
      expectSendable(renderReply({ type: 'summary', visibility: 'private', card: card(paper), summary: summary(text.repeat(10)) })[0]!);
    }
  });
});

describe('reply rendering', () => {
  it('marks private replies ephemeral and channel replies not', () => {
    const [privateReply] = renderReply({ type: 'message', visibility: 'private', tone: 'error', text: 'Nope.' });
    const [publicReply] = renderReply({ type: 'message', visibility: 'channel', tone: 'success', text: 'Subscribed.' });
    expect(privateReply!.flags).toBe(64);
    expect(publicReply!.flags).toBeUndefined();
  });

  it('splits a page of large cards over messages of ≤ 10 embeds and ≤ 6000 characters, buttons last', () => {
    const papers = Array.from({ length: 10 }, (_, i) => makePaper({ id: `2605.${15300 + i}`, title: 'T'.repeat(400), authors: ['A'.repeat(300)], aiSummary: 'S'.repeat(1000) }));
    const reply: Reply = { type: 'papers', visibility: 'private', query: 'transformers', cards: papers.map(card), offset: 0, nextOffset: 10, includesRemote: false };
    const messages = renderReply(reply);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expectSendable(message);
      expect(message.flags).toBe(64);
    }
    expect(messages.slice(0, -1).every((m) => m.components === undefined)).toBe(true);
    expect(messages.flatMap((m) => m.embeds ?? [])).toHaveLength(10);
    const labels = messages.at(-1)!.components!.flatMap((row) => row.components.map((b) => b.label));
    expect(labels).toContain('More results');
    expect(messages.at(-1)!.components!.length).toBeLessThanOrEqual(5);
  });

  it('renders help, subscriptions and settings within limits', () => {
    const replies: Reply[] = [
      { type: 'help', visibility: 'private', entries: HELP_ENTRIES },
      { type: 'subscriptions', visibility: 'private', subscriptions: Array.from({ length: 50 }, (_, i) => ({ id: i + 1, channel: { platform: 'discord', id: '1241234567890123456' }, query: HOSTILE_TEXT[i % HOSTILE_TEXT.length]!, createdBy: 'u', createdAt: new Date() })) },
      { type: 'subscriptions', visibility: 'private', subscriptions: [] },
      { type: 'settings', visibility: 'channel', changed: true, settings: { channel: { platform: 'discord', id: '1241234567890123456' }, time: '08:30', timeZone: 'Europe/Berlin', size: 5, paused: false, emptyDayNote: true } },
    ];
    for (const reply of replies) for (const message of renderReply(reply)) expectSendable(message);
  });
});

describe('packing', () => {
  it('packs embeds greedily without passing either limit', () => {
    const embed = (n: number) => ({ description: 'x'.repeat(n) });
    const groups = packEmbeds([...Array.from({ length: 12 }, () => embed(100)), embed(4000), embed(4000), embed(1999)]);
    expect(groups.map((g) => g.length)).toEqual([10, 3, 2]);
    for (const group of groups) expect(group.reduce((sum, e) => sum + embedChars(e), 0)).toBeLessThanOrEqual(6000);
  });
});
