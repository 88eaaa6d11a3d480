import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalArxivId } from '../../src/papers/arxiv-id.js';
import { SLACK_LIMITS } from './limits.js';

/**
 * Buttons we render and the values they carry. A value comes back inside a signed request, but Slack lets
 * anyone who can see a message press its buttons, and old messages outlive deployments; so every value is
 * parsed with zod and an unknown or malformed one is refused, never trusted.
 */
export const ACTION = {
  summarise: 'paperboy.summarise',
  abstract: 'paperboy.abstract',
  more: 'paperboy.more',
  /** Link buttons still send an interaction; it only needs an ack. */
  linkPrefix: 'paperboy.link.',
} as const;

export const ACTION_PATTERN = /^paperboy\./;

export type ButtonAction =
  | { kind: 'summarise'; paperId: string }
  | { kind: 'abstract'; paperId: string }
  | { kind: 'more'; offset: number; query: { text: string } | { ref: string } }
  | { kind: 'link' };

const paperIdValue = z
  .string()
  .max(40)
  .refine((id) => canonicalArxivId(id) === id, 'not a canonical arXiv id');

const moreValue = z
  .string()
  .max(SLACK_LIMITS.buttonValue)
  .transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not JSON' });
      return z.NEVER;
    }
  })
  .pipe(
    z.union([
      z.strictObject({ o: z.number().int().min(1).max(10_000), q: z.string().min(1).max(SLACK_LIMITS.buttonValue) }),
      z.strictObject({ o: z.number().int().min(1).max(10_000), r: z.string().regex(/^[0-9a-f]{16}$/) }),
    ]),
  );

/** The action a pressed button asks for, or null when its id or value is not one we made. */
export function parseButton(actionId: string, value: string | undefined): ButtonAction | null {
  if (actionId.startsWith(ACTION.linkPrefix)) return { kind: 'link' };
  if (actionId === ACTION.summarise || actionId === ACTION.abstract) {
    const parsed = paperIdValue.safeParse(value);
    if (!parsed.success) return null;
    return { kind: actionId === ACTION.summarise ? 'summarise' : 'abstract', paperId: parsed.data };
  }
  if (actionId === ACTION.more) {
    const parsed = moreValue.safeParse(value);
    if (!parsed.success) return null;
    const data = parsed.data;
    return { kind: 'more', offset: data.o, query: 'q' in data ? { text: data.q } : { ref: data.r } };
  }
  return null;
}

/**
 * The *More* button's value: the query inline when it fits in Slack's 2000, else a hash of it that this process
 * remembers (bounded, oldest dropped). After a restart such a button answers "run the search again".
 */
export class QueryMemo {
  private readonly queries = new Map<string, string>();

  constructor(private readonly capacity = 1000) {}

  moreValue(offset: number, query: string): string {
    const inline = JSON.stringify({ o: offset, q: query });
    if (inline.length <= SLACK_LIMITS.buttonValue) return inline;
    const ref = createHash('sha256').update(query).digest('hex').slice(0, 16);
    this.queries.delete(ref);
    this.queries.set(ref, query);
    if (this.queries.size > this.capacity) this.queries.delete(this.queries.keys().next().value!);
    return JSON.stringify({ o: offset, r: ref });
  }

  resolve(query: { text: string } | { ref: string }): string | null {
    return 'text' in query ? query.text : (this.queries.get(query.ref) ?? null);
  }
}
