/**
 * Slack's limits (DESIGN §6) as data. The renderer fits every message inside them before it is sent: a message
 * over any of them is rejected by Slack (`invalid_blocks`, `msg_too_long`), never truncated for us.
 * Lengths are counted in UTF-16 code units, the largest of the units Slack might count, so a string that fits
 * here fits there.
 */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  /** Any text object not covered by a tighter limit. */
  textObject: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  url: 3000,
  messageText: 40_000,
} as const;

/** Ours, not Slack's: the fallback `text` is what notifications and screen readers show, so it stays short. */
export const FALLBACK_TEXT_MAX = 300;

/** Slack's answer deadline for slash commands and interactions. */
export const ACK_DEADLINE_MS = 3000;

/** Web API errors that mean the bot can't post in the channel at all (the caller pauses it). */
export const CHANNEL_GONE_ERRORS = new Set(['channel_not_found', 'not_in_channel', 'is_archived']);
