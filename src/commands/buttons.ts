import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalArxivId } from '../papers/arxiv-id.js';
import type { ButtonPress } from './command.js';

/** The buttons the core puts on its answers; each platform carries one as a string (Slack value, Discord custom_id). */
export type ButtonAction = Extract<ButtonPress, { kind: 'summarise' | 'abstract' | 'follow' | 'more' }>;

/** The buttons that name one paper, and their prefix in the button string. */
export type PaperButtonKind = 'summarise' | 'abstract' | 'follow';
const PAPER_PREFIX: Record<PaperButtonKind, string> = { summarise: 'sum', abstract: 'abs', follow: 'fol' };

const paperId = z.string().refine((id) => canonicalArxivId(id) === id, 'not a canonical arXiv id');
const MAX_OFFSET = 10_000;
/** Queries longer than this go into the store and the button carries their hash: Discord's custom_id holds 100. */
export const SAVED_QUERY_OVER = 80;

/**
 * One string form for every platform: `sum:<paper>`, `abs:<paper>`, `fol:<paper>`, `more:<offset>:q:<query>`, or
 * `more:<offset>:r:<ref>` for a query too long for the platform's limit. The core saves such a query in the store
 * under its ref (`savedQueryKey`) when it offers a next page, so the button works whichever process or replica
 * receives the press, and after a restart. A string comes back inside a signed request, but anyone who sees a
 * message may press its buttons and old messages outlive deployments: it is parsed, never trusted.
 */
export function encodeButton(action: ButtonAction, maxLength: number): string {
  if (action.kind !== 'more') return paperButtonValue(action.kind, action.paperId);
  const inline = `more:${action.offset}:q:${action.query}`;
  return inline.length <= maxLength && action.query.length <= SAVED_QUERY_OVER ? inline : `more:${action.offset}:r:${queryRef(action.query)}`;
}

export function decodeButton(value: string, maxLength: number): ButtonPress {
  if (value.length > maxLength) return { kind: 'unknown' };
  const paper = /^(sum|abs|fol):(.+)$/.exec(value);
  if (paper) {
    const kind = (Object.keys(PAPER_PREFIX) as PaperButtonKind[]).find((k) => PAPER_PREFIX[k] === paper[1])!;
    const id = paperId.safeParse(paper[2]);
    return id.success ? { kind, paperId: id.data } : { kind: 'unknown' };
  }
  const more = /^more:(\d{1,5}):(?:q:([\s\S]+)|r:([0-9a-f]{16}))$/.exec(value);
  const offset = Number(more?.[1]);
  if (!more || offset < 1 || offset > MAX_OFFSET) return { kind: 'unknown' };
  return more[2] !== undefined ? { kind: 'more', offset, query: more[2] } : { kind: 'saved-more', offset, ref: more[3]! };
}

/** *Summarise* / *Abstract* / *Follow*: what renderers put on a paper. */
export function paperButtonValue(kind: PaperButtonKind, paperId: string): string {
  return `${PAPER_PREFIX[kind]}:${paperId}`;
}

export function queryRef(query: string): string {
  return createHash('sha256').update(query).digest('hex').slice(0, 16);
}

/** Where a long query a *More* button refers to is kept (the store's small key-value state). */
export function savedQueryKey(ref: string): string {
  return `search.query:${ref}`;
}
