import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalArxivId } from '../papers/arxiv-id.js';
import type { ButtonPress } from './command.js';

/** The buttons the core puts on its answers; each platform carries one as a string (Slack value, Discord custom_id). */
export type ButtonAction = Exclude<ButtonPress, { kind: 'expired' | 'unknown' }>;

const paperId = z.string().refine((id) => canonicalArxivId(id) === id, 'not a canonical arXiv id');
const MAX_OFFSET = 10_000;

/**
 * One string form for every platform: `sum:<paper>`, `abs:<paper>`, `more:<offset>:q:<query>`, or
 * `more:<offset>:r:<ref>` when the query does not fit the platform's limit (Discord's custom_id holds 100
 * characters, Slack's value 2000). Such queries are remembered here (bounded, oldest dropped), so after a restart
 * that button answers "expired". A string comes back inside a signed request, but anyone who sees a message may
 * press its buttons and old messages outlive deployments: it is parsed, never trusted.
 */
export class ButtonCodec {
  private readonly queries = new Map<string, string>();

  constructor(private readonly capacity = 1000) {}

  encode(action: ButtonAction, maxLength: number): string {
    if (action.kind !== 'more') return paperButtonValue(action.kind, action.paperId);
    const inline = `more:${action.offset}:q:${action.query}`;
    if (inline.length <= maxLength) return inline;
    const ref = createHash('sha256').update(action.query).digest('hex').slice(0, 16);
    this.queries.delete(ref);
    this.queries.set(ref, action.query);
    if (this.queries.size > this.capacity) this.queries.delete(this.queries.keys().next().value!);
    return `more:${action.offset}:r:${ref}`;
  }

  decode(value: string, maxLength: number): ButtonPress {
    if (value.length > maxLength) return { kind: 'unknown' };
    const paper = /^(sum|abs):(.+)$/.exec(value);
    if (paper) {
      const id = paperId.safeParse(paper[2]);
      return id.success ? { kind: paper[1] === 'sum' ? 'summarise' : 'abstract', paperId: id.data } : { kind: 'unknown' };
    }
    const more = /^more:(\d{1,5}):(?:q:([\s\S]+)|r:([0-9a-f]{16}))$/.exec(value);
    if (!more || Number(more[1]) < 1 || Number(more[1]) > MAX_OFFSET) return { kind: 'unknown' };
    const query = more[2] ?? this.queries.get(more[3]!);
    return query === undefined ? { kind: 'expired' } : { kind: 'more', offset: Number(more[1]), query };
  }
}

/** *Summarise* / *Abstract* need no memory: renderers of digests (which have no codec at hand) call this. */
export function paperButtonValue(kind: 'summarise' | 'abstract', paperId: string): string {
  return `${kind === 'summarise' ? 'sum' : 'abs'}:${paperId}`;
}
