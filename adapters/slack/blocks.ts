import type { types } from '@slack/bolt';
import { ELLIPSIS, plainText, safeUrl } from './escape.js';
import { SLACK_LIMITS } from './limits.js';

/**
 * Block Kit builders that keep each block inside its limits. Text given to them is already mrkdwn made by
 * escape.ts (escaped, each piece cut); they only assemble whole pieces, so they never cut inside an entity
 * or a link.
 */
export type Block = types.KnownBlock;
export type ButtonElement = types.Button;

/** What every renderer returns: blocks plus the short fallback `text` notifications show. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

export function header(text: string): types.HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: plainText(text, SLACK_LIMITS.headerText) || ' ', emoji: true } };
}

/** A mrkdwn section of whole lines, as many as fit in 3000 units; null when there is nothing to show. */
export function section(lines: string[], accessory?: ButtonElement): types.SectionBlock | null {
  const text = joinLines(lines, SLACK_LIMITS.sectionText);
  if (!text) return null;
  return accessory ? { type: 'section', text: { type: 'mrkdwn', text }, accessory } : { type: 'section', text: { type: 'mrkdwn', text } };
}

/** A context row of mrkdwn pieces (≤ 10); empty pieces are dropped; null when none is left. */
export function context(pieces: string[]): types.ContextBlock | null {
  const elements = pieces
    .filter((piece) => piece.trim() !== '')
    .slice(0, SLACK_LIMITS.contextElements)
    .map((piece) => ({ type: 'mrkdwn' as const, text: piece.length <= SLACK_LIMITS.textObject ? piece : ELLIPSIS }));
  return elements.length > 0 ? { type: 'context', elements } : null;
}

export function divider(): types.DividerBlock {
  return { type: 'divider' };
}

/** An actions row; action ids must be unique within it (Slack's rule), so a repeat is a bug here, not there. */
export function actions(buttons: ButtonElement[]): types.ActionsBlock | null {
  const elements = buttons.slice(0, SLACK_LIMITS.actionsElements);
  const ids = elements.map((button) => button.action_id);
  if (new Set(ids).size !== ids.length) throw new Error(`duplicate action_id in one actions block: ${ids.join(', ')}`);
  return elements.length > 0 ? { type: 'actions', elements } : null;
}

export interface ButtonSpec {
  text: string;
  actionId: string;
  value?: string;
  url?: string | null;
  style?: 'primary' | 'danger';
}

/** A button, or null when its link is unusable (not http(s), too long) or its value would not fit. */
export function button(spec: ButtonSpec): ButtonElement | null {
  if (spec.actionId.length > SLACK_LIMITS.actionId) throw new Error(`action_id longer than ${SLACK_LIMITS.actionId}: ${spec.actionId.slice(0, 40)}…`);
  if (spec.value !== undefined && spec.value.length > SLACK_LIMITS.buttonValue) return null;
  const element: ButtonElement = { type: 'button', text: { type: 'plain_text', text: plainText(spec.text, SLACK_LIMITS.buttonText) || ' ', emoji: true }, action_id: spec.actionId };
  if (spec.url !== undefined) {
    const url = safeUrl(spec.url, SLACK_LIMITS.url);
    if (!url) return null;
    element.url = url;
  }
  if (spec.value !== undefined) element.value = spec.value;
  if (spec.style) element.style = spec.style;
  return element;
}

/** Whole lines joined by newlines while they fit in `max`; an ellipsis line marks what was left out. */
export function joinLines(lines: string[], max: number): string {
  let text = '';
  for (const line of lines) {
    if (line === '') continue;
    const next = text ? `${text}\n${line}` : line;
    if (next.length > max) return text.length + 2 <= max ? `${text}\n${ELLIPSIS}` : text;
    text = next;
  }
  return text;
}

/** Nulls dropped and at most 50 blocks; a message that would have more says so in its last block. */
export function fitBlocks(blocks: (Block | null)[]): Block[] {
  const kept = blocks.filter((block): block is Block => block !== null);
  if (kept.length <= SLACK_LIMITS.blocksPerMessage) return kept;
  const shown = kept.slice(0, SLACK_LIMITS.blocksPerMessage - 1);
  return [...shown, { type: 'context', elements: [{ type: 'mrkdwn', text: `${ELLIPSIS} ${kept.length - shown.length} more not shown` }] }];
}
