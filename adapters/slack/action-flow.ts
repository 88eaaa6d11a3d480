import type { Command } from '../../src/commands/command.js';
import { handleSearch } from '../../src/commands/search.js';
import { findPaper } from '../../src/commands/summary.js';
import { errorMessage } from '../../src/errors.js';
import { paperLinks, type Paper } from '../../src/papers/paper.js';
import { parseButton } from './button-values.js';
import { canAdminister, type Ack, type FlowDeps, type Tell } from './flow-deps.js';
import { blockActionsSchema, type BlockActions } from './inbound.js';
import { renderAbstract, renderReply, renderSummary, renderText, type ReplyMessage, type SlackMessage } from './render.js';
import { summariseInThread } from './summarise-in-thread.js';

/** Where a pressed button was. */
interface Place {
  channelId: string | null;
  messageTs: string | null;
  /** Root of the thread the message is in (itself when it isn't a reply). */
  threadTs: string | null;
  /** Search results and other private answers: nothing may be posted for everyone from them. */
  ephemeral: boolean;
}

/**
 * Buttons: *Summarise* (into the paper's digest thread, once; from private search results, a private summary),
 * *Abstract* (the full abstract, privately), *More* (the next page of a search, replacing the current one).
 * Acked at once (a block action's ack carries nothing); answers follow via response_url.
 */
export async function runBlockAction(deps: FlowDeps, rawBody: unknown, ack: Ack): Promise<void> {
  await ack();
  const parsed = blockActionsSchema.safeParse(rawBody);
  if (!parsed.success) {
    deps.logger.warn({ issues: parsed.error.issues.length }, 'slack: malformed block action');
    return;
  }
  const payload = parsed.data;
  const action = payload.actions[0]!;
  const place = placeOf(payload);
  const tell = privately(deps, payload, place);
  const button = parseButton(action.action_id, action.value);
  try {
    if (!button) return await tell(renderText("That button isn't one this paperboy knows (it may be from an older version); run the command again."));
    switch (button.kind) {
      case 'link':
        return;
      case 'abstract':
        return await withPaper(deps, button.paperId, tell, (paper) => tell(renderAbstract(paper, paperLinks(paper))));
      case 'summarise':
        if (place.ephemeral || !place.channelId || !place.threadTs) {
          return await withPaper(deps, button.paperId, tell, async (paper) => tell(renderSummary({ paper, links: paperLinks(paper), day: null }, await deps.summariser.summarise(paper), { buttons: false })));
        }
        return await summariseInThread(deps, { channelId: place.channelId, threadTs: place.threadTs }, button.paperId, tell);
      case 'more':
        return await nextPage(deps, payload, place, button.offset, deps.memo.resolve(button.query));
    }
  } catch (error) {
    deps.logger.error({ err: errorMessage(error), action: action.action_id }, 'slack: button failed');
    await tell(renderText('Something went wrong on our side; please try again in a moment.')).catch(() => undefined);
  }
}

async function nextPage(deps: FlowDeps, payload: BlockActions, place: Place, offset: number, query: string | null): Promise<void> {
  const tell = privately(deps, payload, place);
  if (query === null || !place.channelId) return tell(renderText('That search has expired; run `/papers <query>` again.'));
  const command: Command = { platform: 'slack', channel: { platform: 'slack', id: place.channelId }, userId: payload.user.id, text: query, canAdminister: canAdminister(deps.admins, payload.user.id), offset };
  // handleSearch directly: the query must not be re-read as a verb ("summary …" is a search here).
  const reply = await handleSearch(deps.commands, command, query);
  await privately(deps, payload, place, { replaceOriginal: place.ephemeral })(renderReply(reply, { memo: deps.memo, admins: deps.admins }));
}

async function withPaper(deps: FlowDeps, paperId: string, tell: Tell, use: (paper: Paper) => Promise<void>): Promise<void> {
  const found = await findPaper(deps.commands, paperId);
  if (found.status === 'found') return use(found.paper);
  await tell(renderText(found.status === 'missing' ? `Hugging Face has no paper ${paperId}.` : `Couldn't reach Hugging Face to look up ${paperId}; try again in a minute.`));
}

function placeOf(payload: BlockActions): Place {
  const channelId = payload.channel?.id ?? payload.container?.channel_id ?? null;
  const messageTs = payload.container?.message_ts ?? payload.message?.ts ?? null;
  const threadTs = payload.message?.thread_ts ?? payload.container?.thread_ts ?? messageTs;
  return { channelId, messageTs, threadTs, ephemeral: payload.container?.is_ephemeral === true || !payload.message };
}

/**
 * A private answer to the presser: through the interaction's response_url (works wherever the button was,
 * bot in the channel or not), in the button's thread; chat.postEphemeral when there is no usable response_url.
 */
function privately(deps: FlowDeps, payload: BlockActions, place: Place, options: { replaceOriginal?: boolean } = {}): Tell {
  // Only a reply has a thread to answer in; an answer about a top-level message goes beside it.
  const thread = !place.ephemeral && place.threadTs && place.threadTs !== place.messageTs ? place.threadTs : undefined;
  return async (message: SlackMessage) => {
    const ephemeral: ReplyMessage = { ...message, responseType: 'ephemeral' };
    if (payload.response_url) {
      try {
        return await deps.followUps.send(payload.response_url, ephemeral, { replaceOriginal: options.replaceOriginal, threadTs: thread });
      } catch (error) {
        deps.logger.warn({ err: errorMessage(error) }, 'slack: response_url failed; trying chat.postEphemeral');
      }
    }
    if (!place.channelId) throw new Error('no response_url and no channel to answer in');
    await deps.api.postEphemeral({ channel: place.channelId, user: payload.user.id, text: ephemeral.text, blocks: ephemeral.blocks, ...(thread ? { thread_ts: thread } : {}) });
  };
}
