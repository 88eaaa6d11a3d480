import { canonicalArxivId } from '../papers/arxiv-id.js';
import { paperLinks } from '../papers/paper.js';
import type { ChannelPublisher } from '../delivery/publisher.js';
import { savedQueryKey } from './buttons.js';
import type { ButtonPress, ButtonPlace, Command, Reply } from './command.js';
import type { CommandContext } from './context.js';
import { slowSummary, withPaper } from './find-paper.js';
import { followFromButton, handleFollow, handleFollowing, handleUnfollow } from './follow.js';
import { helpReply } from './help.js';
import { parseCommandText, type Verb } from './parse-command.js';
import { postDigestHere } from './post-digest-here.js';
import { ADMIN_REFUSAL, errorReply } from './replies.js';
import { commandWait, DEFAULT_COMMANDS_PER_MINUTE, rateLimitedText } from './rate-limit.js';
import { handleSearch } from './search.js';
import { handleSettings } from './settings.js';
import { handleListSubscriptions, handleSubscribe, handleUnsubscribe } from './subscriptions.js';
import { handleSummary, privateSummary } from './summary.js';
import { summariseInThread } from './summarise-in-thread.js';

/**
 * A command, understood once: what it will do, and whether that is known to be slow before any network call
 * (an LLM summary, a paper to fetch from Hugging Face, a digest to post). Adapters use `slow` to answer "working
 * on it" (Slack) or defer (Discord) at once; `run` does the work and never throws.
 */
export interface CommandPlan {
  /** For metrics and logs: the verb, or `button:<kind>`. */
  name: string;
  slow: string | null;
  run(): Promise<Reply>;
}

export const MAX_COMMAND_LENGTH = 2000;

type Handler = (ctx: CommandContext, command: Command, args: string, publisher: ChannelPublisher) => Promise<Reply>;

/** The explicit registry: one handler per verb. */
const VERB_HANDLERS: Record<Verb, Handler> = {
  search: (ctx, command, args, publisher) => (args === '' ? Promise.resolve(helpReply()) : handleSearch(ctx, args, { asker: command, here: { channel: command.channel, publisher } })),
  subscribe: (ctx, command, args) => handleSubscribe(ctx, command, args),
  unsubscribe: (ctx, command, args) => handleUnsubscribe(ctx, command, args),
  subscriptions: (ctx, command) => handleListSubscriptions(ctx, command),
  follow: (ctx, command, args) => handleFollow(ctx, command, args),
  unfollow: (ctx, command, args) => handleUnfollow(ctx, command, args),
  following: (ctx, command) => handleFollowing(ctx, command),
  summary: (ctx, command, args) => handleSummary(ctx, command.channel, args, command.workspace),
  digest: (ctx, command, args, publisher) => postDigestHere(ctx, command, publisher, args),
  settings: (ctx, command, args) => handleSettings(ctx, command, args),
  help: async () => helpReply(),
};

export async function planCommand(ctx: CommandContext, command: Command, publisher: ChannelPublisher): Promise<CommandPlan> {
  const wait = await commandWait(ctx, command);
  if (wait > 0) return ready('rate_limited', errorReply(rateLimitedText(wait, ctx.commandsPerMinute ?? DEFAULT_COMMANDS_PER_MINUTE), 'usage'));
  if (command.input.kind === 'button') return planButton(ctx, command, command.input.button, command.input.place, publisher);
  const { text } = command.input;
  if (text.length > MAX_COMMAND_LENGTH) {
    return ready('too_long', errorReply(`That command is too long (${text.length} characters; the limit is ${MAX_COMMAND_LENGTH}).`));
  }
  const { verb, args } = parseCommandText(text);
  // Posting for everyone is the channel managers' call, like its subscriptions and settings.
  if (verb === 'digest' && !command.canAdminister) return ready(verb, errorReply(ADMIN_REFUSAL));
  const id = verb === 'summary' || verb === 'follow' ? canonicalArxivId(args) : null;
  const slow = id ? (verb === 'follow' ? followSlow(command, id) : await slowSummary(ctx, command.channel, id, command.workspace)) : verb === 'digest' ? 'Posting the digest here' : null;
  return { name: verb, slow, run: () => VERB_HANDLERS[verb](ctx, command, args, publisher) };
}

async function planButton(ctx: CommandContext, command: Command, button: ButtonPress, place: ButtonPlace, publisher: ChannelPublisher): Promise<CommandPlan> {
  const name = `button:${button.kind}`;
  switch (button.kind) {
    case 'unknown':
      return ready(name, errorReply("That button isn't one this version of paperboy made; run the command again."));
    case 'expired':
      return ready(name, errorReply('That search has expired; run it again.'));
    case 'more':
      return { name, slow: null, run: () => handleSearch(ctx, button.query, { offset: button.offset, here: { channel: command.channel, publisher } }) };
    case 'saved-more': {
      const query = await ctx.store.getState(savedQueryKey(button.ref));
      if (query === null) return ready(name, errorReply('That search has expired; run it again.'));
      return { name, slow: null, run: () => handleSearch(ctx, query, { offset: button.offset, here: { channel: command.channel, publisher } }) };
    }
    case 'abstract': {
      const slow = (await ctx.store.getPaper(button.paperId)) ? null : `Looking up ${button.paperId} on Hugging Face`;
      return { name, slow, run: () => withPaper(ctx, button.paperId, async (paper) => ({ type: 'abstract', visibility: 'private', card: { paper, links: paperLinks(paper), day: null } })) };
    }
    case 'follow':
      return { name, slow: followSlow(command, button.paperId), run: () => followFromButton(ctx, command, button.paperId, place) };
    case 'summarise': {
      const slow = await slowSummary(ctx, command.channel, button.paperId, command.workspace);
      // On an answer only the presser saw, the summary is theirs alone; on a digest it goes in the thread, once.
      if (place.privateMessage) return { name, slow, run: () => privateSummary(ctx, command.channel, button.paperId, command.workspace) };
      return { name, slow, run: () => summariseInThread(ctx, command, publisher, button.paperId, place.threadId) };
    }
  }
}

/** A follow asks Hugging Face what is out already (three requests); a refusal needs none. */
function followSlow(command: Command, paperId: string): string | null {
  return command.canAdminister ? `Looking up ${paperId} on Hugging Face` : null;
}

function ready(name: string, reply: Reply): CommandPlan {
  return { name, slow: null, run: async () => reply };
}
