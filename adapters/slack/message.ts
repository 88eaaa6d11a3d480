import { z } from 'zod';
import { assertWithinLimits } from '../../src/delivery/sendable.js';
import { deepFreeze } from '../../src/util/deep-freeze.js';
import type { SlackMessage } from './blocks.js';
import { SLACK_LIMITS as L } from './limits.js';

/**
 * Every Block Kit limit a message we send can break, checked before it leaves (the renderers fit content to
 * them, so a violation is our bug): a 400 `invalid_blocks` from Slack is never how we find out.
 */
const plain = (max: number) => z.looseObject({ type: z.literal('plain_text'), text: z.string().min(1).max(max) });
const mrkdwn = (max: number) => z.looseObject({ type: z.literal('mrkdwn'), text: z.string().min(1).max(max) });
const textObject = (max: number) => z.union([plain(max), mrkdwn(max)]);
const blockId = z.string().min(1).max(L.blockId).optional();

const button = z.looseObject({
  type: z.literal('button'),
  text: plain(L.buttonText),
  action_id: z.string().min(1).max(L.actionId),
  value: z.string().max(L.buttonValue).optional(),
  url: z.string().max(L.url).regex(/^https?:\/\/\S+$/, 'must be an http(s) URL').optional(),
  style: z.enum(['primary', 'danger']).optional(),
});

const block = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('header'), block_id: blockId, text: plain(L.headerText) }),
  z
    .looseObject({ type: z.literal('section'), block_id: blockId, text: textObject(L.sectionText).optional(), fields: z.array(textObject(L.fieldText)).min(1).max(L.sectionFields).optional(), accessory: button.optional() })
    .refine((section) => section.text !== undefined || section.fields !== undefined, 'a section needs text or fields'),
  z.looseObject({ type: z.literal('context'), block_id: blockId, elements: z.array(textObject(L.textObject)).min(1).max(L.contextElements) }),
  z
    .looseObject({ type: z.literal('actions'), block_id: blockId, elements: z.array(button).min(1).max(L.actionsElements) })
    .refine((actions) => new Set(actions.elements.map((element) => element.action_id)).size === actions.elements.length, 'action_ids must be unique within a block'),
  z.looseObject({ type: z.literal('divider'), block_id: blockId }),
]);

const message = z
  .looseObject({ text: z.string().max(L.messageText).optional(), blocks: z.array(block).max(L.blocksPerMessage).optional() })
  .refine((m) => Boolean(m.text?.trim()) || (m.blocks?.length ?? 0) > 0, 'a message needs text or blocks')
  .refine((m) => {
    const ids = (m.blocks ?? []).flatMap((b) => (typeof b.block_id === 'string' ? [b.block_id] : []));
    return new Set(ids).size === ids.length;
  }, 'block_ids must be unique within a message');

/** Blocks of messages `checkedOnce` passed, with their text: frozen, so they are still what was checked. */
const checked = new WeakMap<object, string | undefined>();

export function assertSendable<T extends object>(body: T): T {
  const { blocks, text } = body as { blocks?: unknown; text?: string };
  if (typeof blocks === 'object' && blocks !== null && checked.has(blocks) && checked.get(blocks) === text) return body;
  return assertWithinLimits(message, body, { code: 'slack', name: 'Slack' });
}

/**
 * Checks a message that will be posted many times (a shared digest's parent and items go to every channel of a
 * fan-out) and freezes it, so that `assertSendable` passes it again without a second check.
 */
export function checkedOnce(rendered: SlackMessage): SlackMessage {
  deepFreeze(assertSendable(rendered));
  if (rendered.blocks) checked.set(rendered.blocks, rendered.text);
  return rendered;
}
