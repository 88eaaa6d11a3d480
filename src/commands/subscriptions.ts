import { parseQuery } from '../search/parse.js';
import { containsUrl } from '../util/inert-links.js';
import type { Command, Reply } from './command.js';
import type { CommandContext } from './context.js';
import { ADMIN_REFUSAL, errorReply, quoteUserText, successReply } from './replies.js';
import { chatSyntax, queryUsage } from './syntax.js';

const MAX_SUBSCRIPTIONS_PER_CHANNEL = 50;

export async function handleSubscribe(ctx: CommandContext, command: Command, args: string): Promise<Reply> {
  if (!command.canAdminister) return errorReply(ADMIN_REFUSAL);
  if (!args) return errorReply(`Subscribe to what? ${queryUsage(ctx.syntax ?? chatSyntax, 'subscribe')}`);
  const parsed = parseQuery(args);
  if (!parsed.ok) return errorReply(`${parsed.error} ${queryUsage(ctx.syntax ?? chatSyntax, 'subscribe')}`);
  if (containsUrl(args)) return errorReply('Subscriptions match words in papers, not links: leave out the URL.');
  const query = collapseSpaces(parsed.query.text);
  const existing = await ctx.store.listSubscriptions(command.channel);
  if (existing.length >= MAX_SUBSCRIPTIONS_PER_CHANNEL && !existing.some((s) => s.query === query)) {
    return errorReply(`This channel already has ${MAX_SUBSCRIPTIONS_PER_CHANNEL} subscriptions; remove one with /papers unsubscribe <id> first.`);
  }
  const { subscription, created } = await ctx.store.addSubscription(command.channel, query, command.userId, ctx.clock());
  if (!created) return successReply(`This channel is already subscribed to ${quoteUserText(query)} (#${subscription.id}).`);
  return successReply(`Subscribed this channel to ${quoteUserText(query)} (#${subscription.id}). New matching papers will be posted here.`, 'channel');
}

export async function handleUnsubscribe(ctx: CommandContext, command: Command, args: string): Promise<Reply> {
  if (!command.canAdminister) return errorReply(ADMIN_REFUSAL);
  if (!args) return errorReply('Unsubscribe from what? Use /papers unsubscribe <id>, /papers unsubscribe <query> or /papers unsubscribe all; /papers subscriptions lists them.');
  const idMatch = /^#?(\d{1,9})$/.exec(args);
  const selector = args.toLowerCase() === 'all' ? ({ all: true } as const) : idMatch ? { id: Number(idMatch[1]) } : { query: collapseSpaces(args) };
  const removed = await ctx.store.removeSubscriptions(command.channel, selector);
  if (removed === 0) return errorReply(`No subscription ${'query' in selector ? quoteUserText(args) : `#${args.replace(/^#/, '')}`} here. /papers subscriptions lists this channel's subscriptions.`);
  if ('all' in selector) return successReply(`Removed all ${removed} subscription${removed === 1 ? '' : 's'} of this channel.`, 'channel');
  return successReply(`Unsubscribed this channel from ${'query' in selector ? quoteUserText(args) : `#${selector.id}`}.`, 'channel');
}

export async function handleListSubscriptions(ctx: CommandContext, command: Command): Promise<Reply> {
  const subscriptions = await ctx.store.listSubscriptions(command.channel);
  return { type: 'subscriptions', visibility: 'private', subscriptions };
}

/** Subscription queries are stored with whitespace collapsed, so "a  b" and "a b" are the same subscription. */
function collapseSpaces(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
