import { decodeButton } from '../../src/commands/buttons.js';
import type { ButtonPress } from '../../src/commands/command.js';
import { canonicalArxivId } from '../../src/papers/arxiv-id.js';
import { SLACK_LIMITS } from './limits.js';

/**
 * Buttons on Slack: the core's button string (buttons.ts) is the button's `value`; the `action_id` only names the
 * kind, because Slack wants action ids unique within a block and a listener for them.
 */
export const ACTION = {
  summarise: 'paperboy.summarise',
  abstract: 'paperboy.abstract',
  follow: 'paperboy.follow',
  more: 'paperboy.more',
  /** Link buttons still send an interaction; it only needs an ack. */
  linkPrefix: 'paperboy.link.',
} as const;

/** What a pressed button asks for: a link (nothing to do), or a press for the core to handle. */
export function decodeSlackButton(actionId: string, value: string | undefined): ButtonPress | 'link' {
  if (actionId.startsWith(ACTION.linkPrefix)) return 'link';
  const press = decodeButton(value ?? '', SLACK_LIMITS.buttonValue);
  if (press.kind !== 'unknown') return press;
  // Digests posted before the core's button strings carried the bare arXiv id; their buttons still work.
  const legacyId = value !== undefined && canonicalArxivId(value) === value ? value : null;
  if (legacyId && actionId === ACTION.summarise) return { kind: 'summarise', paperId: legacyId };
  if (legacyId && actionId === ACTION.abstract) return { kind: 'abstract', paperId: legacyId };
  return press;
}
