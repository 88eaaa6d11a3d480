/**
 * The Slack renderer, pure: core values (Digest, Reply) in, Block Kit messages out, every third-party string
 * escaped and every field inside Slack's limits (limits.ts). Tested without any network.
 */
export { renderDigestGroup, renderDigestItem, renderDigestParent, renderNotice } from './render-digest.js';
export { renderAbstract, renderReply, renderSummary, renderText, renderWorking, type ReplyContext, type ReplyMessage } from './render-reply.js';
export type { Block, SlackMessage } from './blocks.js';
