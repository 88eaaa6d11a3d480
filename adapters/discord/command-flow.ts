import type { Command, Reply } from '../../src/commands/command.js';
import { handleCommand } from '../../src/commands/handle-command.js';
import { parseCommandText } from '../../src/commands/parse-command.js';
import { deliverDigest, type DeliveryOutcome } from '../../src/delivery/deliver-digest.js';
import { CHANNEL_UNAVAILABLE } from '../../src/delivery/publisher.js';
import type { Digest } from '../../src/digest/digest.js';
import { errorMessage, PaperboyError } from '../../src/errors.js';
import { canonicalArxivId } from '../../src/papers/arxiv-id.js';
import { formatDayLabel } from '../../src/time.js';
import type { InteractionAnswer } from './answer.js';
import { COMMAND_NAME } from './command-definition.js';
import { channelOf, type FlowDeps } from './flow-deps.js';
import type { InteractionBase } from './interaction.js';
import type { DiscordMessage } from './message.js';
import { renderReply, renderText } from './render.js';

/** `/papers <query>`: the same grammar as Slack (DESIGN §5), answered within 3 s. */
export async function runCommand(deps: FlowDeps, answer: InteractionAnswer, base: InteractionBase, name: string, text: string): Promise<void> {
  if (name !== COMMAND_NAME) return answer.say(renderText(`paperboy only knows /${COMMAND_NAME}; ask an admin to run register-commands again.`));
  const command: Command = { platform: 'discord', channel: channelOf(base), userId: base.userId, text, canAdminister: base.canAdminister };
  const { verb, args } = parseCommandText(text);
  // Posting a digest takes a dozen requests and possibly LLM summaries: always deferred.
  if (verb === 'digest') return answer.answer(() => postDigest(deps, command), { deferNow: true });
  const deferNow = verb === 'summary' && (await summaryNeedsLlm(deps, args));
  return answer.answer(async () => render(deps, await handleCommand(deps.commands, command)), { deferNow });
}

export function render(deps: FlowDeps, reply: Reply): DiscordMessage[] {
  return renderReply(reply, { moreId: (offset, query) => deps.memo.moreId(offset, query) });
}

/** Known before any network call: the paper is stored and its summary would be a fresh LLM call. */
async function summaryNeedsLlm(deps: FlowDeps, args: string): Promise<boolean> {
  const id = canonicalArxivId(args);
  const paper = id ? await deps.store.getPaper(id) : null;
  return paper ? deps.summariser.needsLlmCall(paper) : false;
}

/** `digest [date]`: built by the core, posted here through the ledger (exactly once per channel and day). */
async function postDigest(deps: FlowDeps, command: Command): Promise<DiscordMessage[]> {
  const reply = await handleCommand(deps.commands, command);
  if (reply.type !== 'digest') return render(deps, reply);
  const { digest } = reply;
  // One delivery per channel at a time in this process; the ledger covers restarts and other processes.
  return deps.locks.run(`digest:${command.channel.id}`, async () => {
    try {
      const outcome = await deliverDigest({ ledger: deps.store, publisher: deps.publisher, clock: deps.clock, logger: deps.logger }, command.channel, digest);
      return [renderText(outcomeText(outcome, digest))];
    } catch (error) {
      deps.logger.warn({ channel: command.channel.id, err: errorMessage(error) }, 'discord: digest command failed');
      if (error instanceof PaperboyError && error.code === CHANNEL_UNAVAILABLE) {
        return [renderText("paperboy can't post here: it needs Send Messages, Embed Links, Create Public Threads and Send Messages in Threads in this channel.")];
      }
      return [renderText('Posting the digest stopped part-way. Run /papers digest again to finish it; nothing will be posted twice.')];
    }
  });
}

function outcomeText(outcome: DeliveryOutcome, digest: Digest): string {
  const day = formatDayLabel(digest.day);
  if (outcome.status === 'already_delivered') return `The digest for ${day} was already posted here.`;
  if (outcome.status === 'empty') return `This channel already has every paper of ${day}.`;
  const where = outcome.parent.threadId ? 'in a thread' : 'here';
  return `Posted ${outcome.posted} paper${outcome.posted === 1 ? '' : 's'} of ${day} ${where}${outcome.resumed ? ' (finished an interrupted digest)' : ''}.`;
}
