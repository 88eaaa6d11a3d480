import type { Command } from '../../src/commands/command.js';
import { runPlan } from '../../src/commands/handle-command.js';
import { planCommand } from '../../src/commands/plan-command.js';
import { errorMessage } from '../../src/errors.js';
import { decodeSlackButton } from './button-values.js';
import { canAdminister, requestWorkspace, type Ack, type FlowDeps, type Tell } from './flow-deps.js';
import { blockActionsSchema, type BlockActions } from './inbound.js';
import { renderReply, renderText, type ReplyMessage, type SlackMessage } from './render.js';

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
 * A pressed button → a Command for the core (Summarise, Abstract, More). Acked at once (a block action's ack
 * carries nothing); the answer follows privately via response_url, in the button's thread. *More* replaces the
 * private results it was pressed on.
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
  const button = decodeSlackButton(action.action_id, action.value);
  if (button === 'link') return;
  const tell = privately(deps, payload, place, { replaceOriginal: (button.kind === 'more' || button.kind === 'saved-more') && place.ephemeral });
  try {
    if (!place.channelId) return await tell(renderText("paperboy couldn't tell where that button was; run the command again."));
    const command: Command = {
      platform: 'slack',
      channel: { platform: 'slack', id: place.channelId },
      userId: payload.user.id,
      workspace: await requestWorkspace(deps, payload.team?.id),
      canAdminister: canAdminister(deps.admins, payload.user.id),
      input: { kind: 'button', button, place: { threadId: place.threadTs, privateMessage: place.ephemeral } },
    };
    const reply = await runPlan(deps.commands, command, await planCommand(deps.commands, command, deps.publisher));
    await tell(renderReply(reply, { admins: deps.admins }));
  } catch (error) {
    deps.logger.error({ err: errorMessage(error), action: action.action_id }, 'slack: button failed');
    await tell(renderText('Something went wrong on our side; please try again in a moment.')).catch(() => undefined);
  }
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
