import { errorMessage } from '../errors.js';
import { hasArtifacts, type PaperArtifacts } from '../papers/artifacts.js';
import { canonicalArxivId } from '../papers/arxiv-id.js';
import type { Paper } from '../papers/paper.js';
import type { PostedMessage } from '../delivery/publisher.js';
import type { Follow } from '../store/store.js';
import type { ButtonPlace, Command, Reply } from './command.js';
import type { CommandContext } from './context.js';
import { ADMIN_REFUSAL, errorReply, infoReply, quoteUserText, successReply } from './replies.js';
import { DAY_MS } from '../time.js';

export const MAX_FOLLOWS_PER_CHANNEL = 50;
/** A paper is watched this long after it is followed; then the follow ends by itself. */
export const FOLLOW_DAYS = 90;
const FOLLOW_USAGE = 'Use `/papers follow 2605.15320` (an arXiv id, or an arxiv.org / huggingface.co/papers link).';

/** `follow <id or URL>`: the paper's reply goes under its post in this channel when there is one. */
export async function handleFollow(ctx: CommandContext, command: Command, args: string): Promise<Reply> {
  if (!command.canAdminister) return errorReply(ADMIN_REFUSAL);
  if (!args) return errorReply(`Follow which paper? ${FOLLOW_USAGE} /papers following lists this channel's follows.`);
  const id = canonicalArxivId(args);
  if (!id) return errorReply(`${quoteUserText(args, 60)} is not an arXiv id or paper link. ${FOLLOW_USAGE}`);
  return followPaper(ctx, command, id, null);
}

/**
 * *Follow* on a paper's post: replies go in the thread the button was pressed in. From an answer only the presser
 * saw (search results) there is no such thread, so the paper's post in this channel is looked up as for the command.
 */
export async function followFromButton(ctx: CommandContext, command: Command, paperId: string, place: ButtonPlace): Promise<Reply> {
  if (!command.canAdminister) return errorReply(ADMIN_REFUSAL);
  const pressedIn = !place.privateMessage && place.threadId ? { id: place.threadId, threadId: null } : null;
  return followPaper(ctx, command, paperId, pressedIn);
}

async function followPaper(ctx: CommandContext, command: Command, paperId: string, pressedIn: PostedMessage | null): Promise<Reply> {
  const existing = await ctx.store.listFollows(command.channel);
  const already = existing.find((follow) => follow.paperId === paperId);
  if (already) return infoReply(`This channel already follows ${paperId} (since ${day(already.followedAt)}).`);
  if (existing.length >= MAX_FOLLOWS_PER_CHANNEL) {
    return errorReply(`This channel already follows ${MAX_FOLLOWS_PER_CHANNEL} papers; stop one with /papers unfollow <id> first.`);
  }
  let found: { paper: Paper; artifacts: PaperArtifacts } | null;
  try {
    found = await ctx.source.paperArtifacts(paperId, { interactive: true });
  } catch (error) {
    ctx.logger.warn({ err: errorMessage(error), paper: paperId }, 'follow: paper lookup failed');
    return errorReply(`Couldn't reach Hugging Face to look up ${paperId}; try again in a minute.`, 'unavailable');
  }
  if (!found) return errorReply(`Hugging Face has no paper ${paperId}. Check the id, or try its arXiv link.`, 'unavailable');
  await ctx.store.savePapers([found.paper]);
  const replyTo = pressedIn ?? (await ctx.store.lastPostOf(command.channel, paperId));
  // What is out already is the baseline: only what appears later is announced.
  const { created } = await ctx.store.addFollow({ channel: command.channel, paperId, replyTo, followedBy: command.userId, at: ctx.clock(), announced: found.artifacts });
  if (!created) return infoReply(`This channel already follows ${paperId}.`);
  const where = replyTo ? 'in this paper’s thread' : 'in this channel';
  const out = hasArtifacts(found.artifacts) ? ` Already out: ${describeArtifacts(found.artifacts)}.` : '';
  return successReply(`Following “${title(found.paper)}” (${paperId}) — you'll get a reply ${where} when code, models or datasets appear (for ${FOLLOW_DAYS} days).${out}`);
}

export async function handleUnfollow(ctx: CommandContext, command: Command, args: string): Promise<Reply> {
  if (!command.canAdminister) return errorReply(ADMIN_REFUSAL);
  if (!args) return errorReply('Unfollow which paper? Use /papers unfollow <arXiv id> or /papers unfollow all; /papers following lists them.');
  if (args.toLowerCase() === 'all') {
    const removed = await ctx.store.removeFollows(command.channel, { all: true });
    return removed === 0 ? infoReply('This channel follows no papers.') : successReply(`Stopped following ${removed} paper${removed === 1 ? '' : 's'} in this channel.`);
  }
  const id = canonicalArxivId(args);
  if (!id) return errorReply(`${quoteUserText(args, 60)} is not an arXiv id or paper link. Use /papers unfollow <arXiv id> or /papers unfollow all.`);
  const removed = await ctx.store.removeFollows(command.channel, { paperId: id });
  if (removed === 0) return errorReply(`This channel doesn't follow ${id}. /papers following lists its follows.`);
  return successReply(`Stopped following ${id} in this channel.`);
}

/** Past this, the list leaves out titles so that 50 follows fit one chat message (Discord holds 2,000 characters). */
const LIST_WITH_TITLES_MAX = 1800;

/** `following`: the channel's follows, each with the day its watch ends. */
export async function handleFollowing(ctx: CommandContext, command: Command): Promise<Reply> {
  const follows = await ctx.store.listFollows(command.channel);
  if (follows.length === 0) return infoReply('This channel follows no papers. Follow one with /papers follow <arXiv id>, or its *Follow* button.');
  const heading = `This channel follows ${follows.length} paper${follows.length === 1 ? '' : 's'}:`;
  const full = await Promise.all(follows.map(async (follow) => `• ${await followLine(ctx, follow, true)}`));
  const lines = full.join('\n').length <= LIST_WITH_TITLES_MAX ? full : await Promise.all(follows.map(async (follow) => `• ${await followLine(ctx, follow, false)}`));
  return infoReply(`${heading}\n${lines.join('\n')}`);
}

async function followLine(ctx: CommandContext, follow: Follow, withTitle: boolean): Promise<string> {
  const until = day(new Date(follow.followedAt.getTime() + FOLLOW_DAYS * DAY_MS));
  if (!withTitle) return `${follow.paperId} (until ${until})`;
  const paper = await ctx.store.getPaper(follow.paperId);
  const name = paper ? ` “${title(paper, 60)}”` : '';
  const out = hasArtifacts(follow.announced) ? `; out so far: ${describeArtifacts(follow.announced)}` : '';
  return `${follow.paperId}${name} — watched until ${until}${out}`;
}

function describeArtifacts(artifacts: PaperArtifacts): string {
  const parts = [artifacts.githubRepo ? 'code' : null, count(artifacts.models.length, 'model'), count(artifacts.datasets.length, 'dataset')];
  return parts.filter((part): part is string => part !== null).join(', ');
}

function count(n: number, noun: string): string | null {
  return n === 0 ? null : `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function title(paper: Paper, max = 120): string {
  const oneLine = paper.title.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine || paper.id;
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
