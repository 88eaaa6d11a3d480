import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalArxivId } from '../../src/papers/arxiv-id.js';
import { DISCORD_LIMITS } from './limits.js';

/**
 * Button `custom_id`s: `sum:<paper>` (Summarise), `abs:<paper>` (Abstract), `more:<offset>:q:<query>` or
 * `more:<offset>:r:<ref>` (next page of a search). They come back inside interactions, so they are parsed and
 * validated like any other input: an unknown or malformed id is answered, never trusted.
 */
export type ButtonAction =
  | { kind: 'summarise'; paperId: string }
  | { kind: 'abstract'; paperId: string }
  | { kind: 'more'; offset: number; query: { text: string } | { ref: string } };

const paperId = z.string().refine((id) => canonicalArxivId(id) === id, 'not a canonical arXiv id');

const customIdSchema = z
  .string()
  .max(DISCORD_LIMITS.customId)
  .transform((id, ctx): ButtonAction => {
    const paper = /^(sum|abs):(.+)$/.exec(id);
    if (paper) {
      const parsed = paperId.safeParse(paper[2]);
      if (parsed.success) return { kind: paper[1] === 'sum' ? 'summarise' : 'abstract', paperId: parsed.data };
    }
    const more = /^more:(\d{1,6}):(?:q:([\s\S]+)|r:([0-9a-f]{16}))$/.exec(id);
    if (more) return { kind: 'more', offset: Number(more[1]), query: more[2] !== undefined ? { text: more[2] } : { ref: more[3]! } };
    ctx.addIssue({ code: 'custom', message: 'unknown custom_id' });
    return z.NEVER;
  });

export function parseCustomId(id: string): ButtonAction | null {
  const parsed = customIdSchema.safeParse(id);
  return parsed.success ? parsed.data : null;
}

export function summariseId(paperId: string): string {
  return `sum:${paperId}`;
}

export function abstractId(paperId: string): string {
  return `abs:${paperId}`;
}

/** The query inline when it fits in a custom_id; otherwise null (the caller remembers it and uses a ref). */
function moreIdInline(offset: number, query: string): string | null {
  const id = `more:${offset}:q:${query}`;
  return id.length <= DISCORD_LIMITS.customId ? id : null;
}

function moreIdRef(offset: number, ref: string): string {
  return `more:${offset}:r:${ref}`;
}

/**
 * Long search queries don't fit in 100 characters, so the *More* button carries a hash and the query is kept
 * here (bounded, oldest dropped first). After a restart such a button answers "run the search again".
 */
export class QueryMemo {
  private readonly queries = new Map<string, string>();

  constructor(private readonly capacity = 1000) {}

  /** The custom_id for the page at `offset` of `query`. */
  moreId(offset: number, query: string): string {
    const inline = moreIdInline(offset, query);
    if (inline) return inline;
    const ref = createHash('sha256').update(query).digest('hex').slice(0, 16);
    this.queries.delete(ref);
    this.queries.set(ref, query);
    if (this.queries.size > this.capacity) this.queries.delete(this.queries.keys().next().value!);
    return moreIdRef(offset, ref);
  }

  resolve(query: { text: string } | { ref: string }): string | null {
    return 'text' in query ? query.text : (this.queries.get(query.ref) ?? null);
  }
}
