import { inertLinks } from '../util/inert-links.js';
import type { Reply, Visibility } from './command.js';

export function errorReply(text: string, reason: 'usage' | 'unavailable' | 'internal' = 'usage'): Reply {
  return { type: 'message', visibility: 'private', tone: 'error', text, reason };
}

export function infoReply(text: string, visibility: Visibility = 'private'): Reply {
  return { type: 'message', visibility, tone: 'info', text };
}

export function successReply(text: string, visibility: Visibility = 'private'): Reply {
  return { type: 'message', visibility, tone: 'success', text };
}

/**
 * Quotes user text for display in a reply, cut so a 10k-character query can't flood the channel, and with
 * anything link-like made inert: what someone typed never becomes a link in a message the bot posts.
 */
export function quoteUserText(text: string, max = 80): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return `“${inertLinks(oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine)}”`;
}

export const ADMIN_REFUSAL = 'Only people who can manage this channel can post digests here or change its subscriptions and settings.';
