import { describe, expect, it } from 'vitest';
import { decodeSlackButton } from '../adapters/slack/button-values.js';
import { queryRef } from '../src/commands/buttons.js';
import { assertSendable, checkedOnce } from '../adapters/slack/message.js';
import type { SlackMessage } from '../adapters/slack/blocks.js';
import { escapeMrkdwn, mrkdwn, mrkdwnChunks, plainText, safeUrl, unescapeSlackText } from '../adapters/slack/escape.js';
import { renderAbstract, renderDigestGroup, renderDigestItem, renderDigestParent, renderNotice, renderReply, renderSummary } from '../adapters/slack/render.js';
import { HELP_ENTRIES } from '../src/commands/help.js';
import { ADMIN_REFUSAL } from '../src/commands/replies.js';
import type { Digest, DigestItem } from '../src/digest/digest.js';
import { paperLinks, type Paper } from '../src/papers/paper.js';
import type { Summary } from '../src/summarise/summary.js';
import { checkMessage } from './fixtures/slack/block-kit.js';
import { harmsIn, HOSTILE_TEXT, hostilePapers, randomHostilePapers } from './fixtures/slack/hostile.js';
import { makePaper } from './support/papers.js';
import { MAX_DISCUSSED } from '../src/digest/build-digest.js';
import type { EarlierPost } from '../src/delivery/earlier-post.js';

const earlierPost = (paperId: string): EarlierPost => ({ channel: { platform: 'slack', id: 'C0123' }, paperId, key: 'daily:2026-05-11', message: { id: '1715000000.000100', threadId: null }, parentMessageId: '1715000000.000000', postedAt: new Date('2026-05-11T09:00:00Z') });

const summary: Summary = { tldr: 'It works.', keyPoints: ['One.', 'Two.'], whyItMatters: 'Because.', source: 'llm', model: 'gpt-4o-mini' };
const item = (paper: Paper, rank = 1): DigestItem => ({ rank, paper, links: paperLinks(paper), summary });
const digestOf = (papers: Paper[]): Digest => ({ kind: 'daily', key: 'daily:2026-05-12', day: '2026-05-12', title: 'Trending papers · Tue 12 May', items: papers.map((p, i) => item(p, i + 1)), alreadyReceived: 0 });

/** The fake's own rules: every rendered message must pass them and carry nothing that can ping or hide a link. */
function expectAccepted(message: { text: string; blocks: unknown[] }): void {
  expect(checkMessage(message as unknown as Record<string, unknown>)).toBeNull();
  expect(harmsIn(message as unknown as Record<string, unknown>)).toEqual([]);
}

describe('escaping', () => {
  it('turns & < > into entities so no mention, channel or link syntax survives', () => {
    expect(escapeMrkdwn('<!channel> <@U123> <#C1|x> <https://evil|hf> a & b')).toBe('&lt;!channel&gt; &lt;@U123&gt; &lt;#C1|x&gt; &lt;https://evil|hf&gt; a &amp; b');
    expect(escapeMrkdwn('&lt;already&gt;')).toBe('&amp;lt;already&amp;gt;');
    expect(escapeMrkdwn('@channel and @here')).toBe('@\u2060channel and @\u2060here');
  });

  it('drops control and bidi-override characters and repairs lone surrogates', () => {
    expect(escapeMrkdwn('a\u0000b\u202ec\u2066d\ufeffe')).toBe('abcde');
    expect(escapeMrkdwn('x\ud800y')).toBe('x\ufffdy');
  });

  it('cuts after escaping, at grapheme boundaries, never inside an entity or a surrogate pair', () => {
    const cut = mrkdwn('&'.repeat(100), 20);
    expect(cut.length).toBeLessThanOrEqual(20);
    expect(cut).toMatch(/^(&amp;)+…$/);
    const emoji = '👩‍👩‍👧‍👦'.repeat(30);
    for (let max = 1; max < 60; max++) {
      const out = plainText(emoji, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.replace('…', '')).toBe('👩‍👩‍👧‍👦'.repeat(out.replace('…', '').length / '👩‍👩‍👧‍👦'.length));
    }
    expect(plainText('😀😀😀', 4)).toBe('😀…');
    // Flags are pairs of regional indicators: a long run must not be cut between the two halves of one.
    for (let max = 5; max < 200; max += 7) expect((plainText('x🇩🇪🇫🇷'.repeat(80), max).replace('…', '').match(/[\u{1f1e6}-\u{1f1ff}]/gu) ?? []).length % 2).toBe(0);
    for (let max = 5; max < 200; max += 7) expect((plainText('🇩🇪'.repeat(200), max).replace('…', '').match(/[\u{1f1e6}-\u{1f1ff}]/gu) ?? []).length % 2).toBe(0);
    expect(plainText('short', 10)).toBe('short');
  });

  it('keeps only http(s) URLs, encoded so they cannot end a link early, within 3000', () => {
    expect(safeUrl('javascript:alert(1)', 3000)).toBeNull();
    expect(safeUrl('https://exa mple.com/', 3000)).toBeNull();
    expect(safeUrl('https://example.com/a b|c>d', 3000)).toBe('https://example.com/a%20b%7Cc%3Ed');
    expect(safeUrl(`https://github.com/${'a'.repeat(3000)}`, 3000)).toBeNull();
  });

  it('splits long text into pieces within the limit', () => {
    const chunks = mrkdwnChunks('word<> '.repeat(2000), 3000, 5);
    expect(chunks.length).toBe(5);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(3000);
    expect(chunks.join(' ')).not.toMatch(/[<>]/);
  });

  it('reads what Slack escaped in a slash command back to what was typed', () => {
    expect(unescapeSlackText('a &amp; b &lt;c&gt; &amp;lt;')).toBe('a & b <c> &lt;');
  });
});

describe('digest rendering', () => {
  const papers = [
    makePaper({ id: '2605.15320', title: 'Sparse attention', upvotes: 120, comments: 4, githubRepo: 'https://github.com/lab/sparse', githubStars: 1234, authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra'] }),
    makePaper({ id: '2605.15321', title: 'Grokking', upvotes: 80 }),
  ];

  it('parent: the title as header, the top titles linked, a short fallback text', () => {
    const message = renderDigestParent(digestOf(papers));
    expectAccepted(message);
    expect(message.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Trending papers · Tue 12 May', emoji: true } });
    expect(JSON.stringify(message.blocks[1])).toContain('1. *<https://huggingface.co/papers/2605.15320|Sparse attention>*');
    expect(message.text).toBe('Trending papers · Tue 12 May: Sparse attention and 1 more');
  });

  it('reply: linked title, authors, ▲ upvotes, comments, code ★, summary, Summarise / Abstract / Follow / link buttons', () => {
    const message = renderDigestItem(item(papers[0]!));
    expectAccepted(message);
    const json = JSON.stringify(message.blocks);
    expect(json).toContain('<https://huggingface.co/papers/2605.15320|Sparse attention>');
    expect(json).toContain('Ada Lovelace, Alan Turing, Grace Hopper +1');
    expect(json).toContain('▲ 120  ·  💬 4  ·  ★ 1,234');
    expect(json).toContain('It works.');
    const actions = message.blocks.find((b) => b.type === 'actions') as { elements: { action_id: string; value?: string; url?: string }[] };
    expect(actions.elements.map((e) => e.action_id)).toEqual(['paperboy.summarise', 'paperboy.abstract', 'paperboy.follow', 'paperboy.link.hf', 'paperboy.link.pdf', 'paperboy.link.code']);
    expect(actions.elements[0]!.value).toBe('sum:2605.15320');
    expect(actions.elements[2]!.value).toBe('fol:2605.15320');
    expect(actions.elements[5]!.url).toBe('https://github.com/lab/sparse');
  });

  it('hostile papers: every message Slack would accept, nothing that pings', () => {
    const all = [...hostilePapers(), ...randomHostilePapers(40)];
    const digest = digestOf(all.slice(0, 25));
    digest.title = `${HOSTILE_TEXT[0]} ${'x'.repeat(300)}`;
    expectAccepted(renderDigestParent(digest));
    expectAccepted(renderDigestGroup(HOSTILE_TEXT.join(' '), digest.items));
    expectAccepted(renderNotice(HOSTILE_TEXT.join('\n')));
    for (const paper of all) {
      const hostile = { ...item(paper), summary: { ...summary, tldr: paper.abstract, keyPoints: [paper.title, paper.abstract], whyItMatters: paper.abstract }, matchedSubscription: paper.title };
      expectAccepted(renderDigestItem(hostile));
      expectAccepted(renderAbstract(paper, paperLinks(paper)));
      expectAccepted(renderSummary({ paper, links: paperLinks(paper), day: '2026-05-12' }, hostile.summary, { buttons: true }));
    }
  });

  it('already-discussed papers: a section of linked pointers under the titles, or one line alone; within limits', () => {
    const all = [...hostilePapers(), ...randomHostilePapers(10)];
    const pointers = all.slice(0, MAX_DISCUSSED).map((paper, i) => ({
      paper,
      links: paperLinks(paper),
      discussed: { post: earlierPost(paper.id), day: '2026-05-11', url: i % 2 ? null : `https://fake.slack.com/archives/C0123/p1715000000${String(i).padStart(6, '0')}?thread_ts=1715000000.000000&cid=C0123` },
    }));
    const digest = { ...digestOf(all.slice(0, 25)), discussed: pointers, alreadyReceived: 3 };
    const parent = renderDigestParent(digest);
    expectAccepted(parent);
    expect(JSON.stringify(parent.blocks)).toContain('*Already discussed here*');
    expect(JSON.stringify(parent.blocks)).toContain('|Discussed here Mon 11 May>');
    expect(JSON.stringify(parent.blocks)).toContain('3 more already posted here earlier');
    const alone = renderDigestParent({ ...digest, items: [], discussed: pointers.slice(0, 1), title: 'Already discussed here' });
    expectAccepted(alone);
    expect(alone.blocks).toHaveLength(1);
  });

  it('an empty title shows the arXiv id, so no link has an empty label', () => {
    const message = renderDigestItem(item(makePaper({ id: '2605.20004', title: ' ' })));
    expect(JSON.stringify(message.blocks)).toContain('<https://huggingface.co/papers/2605.20004|arXiv 2605.20004>');
  });
});

describe('reply rendering', () => {
  const cards = Array.from({ length: 5 }, (_, i) => {
    const paper = makePaper({ id: `2605.1000${i}`, title: `Paper ${i}` });
    return { paper, links: paperLinks(paper), day: '2026-05-12' };
  });

  it('search results are ephemeral, with per-paper buttons and More carrying the next offset', () => {
    const message = renderReply({ type: 'papers', visibility: 'private', query: 'grokking', cards, offset: 0, nextOffset: 5, includesRemote: true });
    expectAccepted(message);
    expect(message.responseType).toBe('ephemeral');
    const more = message.blocks.at(-1) as { type: string; elements: { action_id: string; value: string }[] };
    expect(more.elements[0]!.action_id).toBe('paperboy.more');
    expect(decodeSlackButton('paperboy.more', more.elements[0]!.value)).toEqual({ kind: 'more', offset: 5, query: 'grokking' });
  });

  it('a long query is referenced by its hash (the core keeps the query in the store)', () => {
    const query = `grokking ${'x'.repeat(2100)}`;
    const message = renderReply({ type: 'papers', visibility: 'private', query, cards, offset: 0, nextOffset: 5, includesRemote: false });
    expectAccepted(message);
    const value = (message.blocks.at(-1) as { elements: { value: string }[] }).elements[0]!.value;
    expect(value).toMatch(/^more:5:r:[0-9a-f]{16}$/);
    expect(decodeSlackButton('paperboy.more', value)).toEqual({ kind: 'saved-more', offset: 5, ref: queryRef(query) });
  });

  it('help, settings, subscriptions, summaries and errors render within limits', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ id: i + 1, channel: { platform: 'slack' as const, id: 'C1' }, query: `${HOSTILE_TEXT[i % HOSTILE_TEXT.length]} ${'q'.repeat(400)}`, createdBy: 'U1', createdAt: new Date() }));
    const replies = [
      renderReply({ type: 'help', visibility: 'private', entries: HELP_ENTRIES }),
      renderReply({ type: 'settings', visibility: 'channel', settings: { channel: { platform: 'slack', id: 'C1' }, time: '08:30', timeZone: 'Europe/Berlin', size: 5, paused: false, emptyDayNote: true }, changed: true }),
      renderReply({ type: 'subscriptions', visibility: 'private', subscriptions: many }),
      renderReply({ type: 'subscriptions', visibility: 'private', subscriptions: [] }),
      renderReply({ type: 'summary', visibility: 'private', card: cards[0]!, summary }),
      renderReply({ type: 'message', visibility: 'private', tone: 'error', text: HOSTILE_TEXT.join(' '), reason: 'usage' }),
    ];
    for (const reply of replies) expectAccepted(reply);
    expect(replies[1]!.responseType).toBe('in_channel');
    expect(JSON.stringify(replies[0]!.blocks)).toContain('*/papers &lt;query&gt;*');
  });

  it('the admin refusal names the admins', () => {
    const message = renderReply({ type: 'message', visibility: 'private', tone: 'error', text: ADMIN_REFUSAL, reason: 'usage' }, { admins: ['U0ADMIN1', 'U0ADMIN2'] });
    expect(message.responseType).toBe('ephemeral');
    expect(JSON.stringify(message.blocks)).toContain('<@U0ADMIN1>, <@U0ADMIN2>');
  });
});

describe('button values', () => {
  it('decodes the core button strings, the bare ids of digests posted before them, and link buttons', () => {
    expect(decodeSlackButton('paperboy.summarise', 'sum:2605.15320')).toEqual({ kind: 'summarise', paperId: '2605.15320' });
    expect(decodeSlackButton('paperboy.summarise', '2605.15320')).toEqual({ kind: 'summarise', paperId: '2605.15320' });
    expect(decodeSlackButton('paperboy.abstract', '2605.15320')).toEqual({ kind: 'abstract', paperId: '2605.15320' });
    expect(decodeSlackButton('paperboy.link.hf', undefined)).toBe('link');
  });

  it('refuses anything we did not make', () => {
    for (const [actionId, value] of [
      ['paperboy.summarise', '2605.15320v2'],
      ['paperboy.abstract', '../../etc/passwd'],
      ['paperboy.abstract', undefined],
      ['paperboy.more', '{"o":5,"q":"x"}'],
      ['paperboy.more', 'not json'],
      ['someone.else', '2605.15320'],
      ['paperboy.more', `more:1:q:${'x'.repeat(2100)}`],
    ] as const) {
      expect(decodeSlackButton(actionId, value), `${actionId} ${value}`).toEqual({ kind: 'unknown' });
    }
  });
});


describe('the pre-send check', () => {
  const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
  it('lets every rendered message through and refuses, before sending, what Slack would reject', () => {
    expect(assertSendable(renderNotice('hello'))).toBeTruthy();
    const refusals: [string, Record<string, unknown>][] = [
      ['51 blocks', { text: 'x', blocks: Array.from({ length: 51 }, () => section('x')) }],
      ['section text over 3000', { text: 'x', blocks: [section('x'.repeat(3001))] }],
      ['header over 150', { text: 'x', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] }],
      ['11 context elements', { text: 'x', blocks: [{ type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'x' })) }] }],
      ['button text over 75', { text: 'x', blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'x'.repeat(76) } }] }] }],
      ['duplicate action ids', { text: 'x', blocks: [{ type: 'actions', elements: [1, 2].map(() => ({ type: 'button', action_id: 'same', text: { type: 'plain_text', text: 'b' } })) }] }],
      ['a javascript: url', { text: 'x', blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'a', url: 'javascript:alert(1)', text: { type: 'plain_text', text: 'b' } }] }] }],
      ['text over 40,000', { text: 'x'.repeat(40_001) }],
      ['nothing to show', { text: '  ' }],
    ];
    for (const [what, message] of refusals) {
      expect(() => assertSendable(message), what).toThrow(/Refusing to send a message Slack would reject/);
      // The fake (written apart from the adapter) refuses each too: the two agree on what Slack rejects.
      expect(checkMessage(message), what).not.toBeNull();
    }
  });

  it('checks a message posted to many channels once, freezes it, and still checks whatever differs from it', () => {
    const once = checkedOnce(renderNotice('hello'));
    expect(Object.isFrozen(once.blocks![0])).toBe(true);
    expect(() => (once.blocks as unknown[]).push(section('more'))).toThrow(TypeError);
    expect(assertSendable({ channel: 'C1', ...once })).toBeTruthy();
    // The same blocks under a text that was never checked: checked in full.
    expect(() => assertSendable({ ...once, text: 'x'.repeat(40_001) })).toThrow(/Refusing to send a message Slack would reject: text/);
    // A message over the limits is refused, not remembered.
    const tooMany = { text: 'x', blocks: Array.from({ length: 51 }, () => section('x')) };
    expect(() => checkedOnce(tooMany as unknown as SlackMessage)).toThrow(/Refusing to send a message Slack would reject/);
    expect(() => assertSendable(tooMany)).toThrow(/Refusing to send a message Slack would reject/);
  });
});
