import type { Command, Reply } from '../../src/commands/command.js';
import { handleCommand } from '../../src/commands/handle-command.js';
import { parseCommandText } from '../../src/commands/parse-command.js';
import { deliverDigest } from '../../src/delivery/deliver-digest.js';
import type { Digest } from '../../src/digest/digest.js';
import { errorMessage, PaperboyError } from '../../src/errors.js';
import { canonicalArxivId } from '../../src/papers/arxiv-id.js';
import { inline, plainText, unescapeSlackText } from './escape.js';
import { ackBody, canAdminister, type Ack, type Answer, type FlowDeps } from './flow-deps.js';
import { slashCommandSchema, type SlashCommand } from './inbound.js';
import { renderReply, renderText, renderWorking } from './render.js';

/**
 * `/papers <text>` → the core's handleCommand. Slack wants an answer within 3 s: a command known to be slow
 * (a summary needing the LLM or a paper not stored yet) is acked at once with "working on it"; anything else
 * gets `ackBudgetMs` to finish in the ack, and past that acks "working on it" too. Late answers go to the
 * command's response_url. `digest` acks, then posts to the channel through the delivery ledger.
 */
export async function runSlashCommand(deps: FlowDeps, rawBody: unknown, ack: Ack): Promise<void> {
  const parsed = slashCommandSchema.safeParse(rawBody);
  if (!parsed.success) {
    deps.logger.warn({ issues: parsed.error.issues.length }, 'slack: malformed slash command');
    return ack(ackBody(renderText("paperboy couldn't read that command; please try again.")));
  }
  const body = parsed.data;
  const command: Command = {
    platform: 'slack',
    channel: { platform: 'slack', id: body.channel_id },
    userId: body.user_id,
    text: unescapeSlackText(body.text),
    canAdminister: canAdminister(deps.admins, body.user_id),
  };

  const slow = await knownSlow(deps, command);
  const work = handleCommand(deps.commands, command);
  const quick = slow === null ? await settleWithin(work, deps.ackBudgetMs) : null;
  if (quick) return answer(deps, body, quick, (message) => ack(ackBody(message)));

  await ack(ackBody(renderWorking(slow ?? 'Working on it')));
  const reply = await work;
  await answer(deps, body, reply, (message) => deps.followUps.send(body.response_url, message)).catch((error: unknown) => {
    deps.logger.error({ err: errorMessage(error), channel: body.channel_id }, 'slack: could not send a late command answer');
  });
}

async function answer(deps: FlowDeps, body: SlashCommand, reply: Reply, send: Answer): Promise<void> {
  if (reply.type === 'digest' && (await deps.store.getDelivery({ platform: 'slack', id: body.channel_id }, reply.digest.key))?.completedAt) {
    return send(renderText(`${reply.digest.title} was already posted here.`));
  }
  await send(renderReply(reply, { memo: deps.memo, admins: deps.admins }));
  if (reply.type === 'digest') await postDigest(deps, body, reply.digest);
}

/** The digest into the channel, exactly once per (channel, day) like the scheduled one; problems told privately. */
async function postDigest(deps: FlowDeps, body: SlashCommand, digest: Digest): Promise<void> {
  const channel = { platform: 'slack' as const, id: body.channel_id };
  let notice: string | null = null;
  try {
    const outcome = await deliverDigest({ ledger: deps.store, publisher: deps.publisher, clock: deps.clock, logger: deps.logger }, channel, digest);
    if (outcome.status === 'already_delivered') notice = `${digest.title} was already posted here.`;
  } catch (error) {
    deps.logger.error({ err: errorMessage(error), channel: body.channel_id, digest: digest.key }, 'slack: posting a digest on command failed');
    notice = error instanceof PaperboyError ? error.userMessage : "Couldn't post the digest; the error is logged.";
  }
  if (notice) {
    await deps.followUps.send(body.response_url, renderText(notice)).catch((error: unknown) => {
      deps.logger.error({ err: errorMessage(error) }, 'slack: could not tell the user about a digest problem');
    });
  }
}

/** What we can tell cheaply will be slow: a summary needing the LLM, or a paper we have to fetch first. */
async function knownSlow(deps: FlowDeps, command: Command): Promise<string | null> {
  const { verb, args } = parseCommandText(command.text);
  if (verb !== 'summary') return null;
  const id = canonicalArxivId(args);
  if (!id) return null;
  const paper = await deps.store.getPaper(id);
  if (!paper) return `Looking up ${id} on Hugging Face`;
  if (await deps.summariser.needsLlmCall(paper)) return `Summarising “${plainText(inline(paper.title), 120) || id}”`;
  return null;
}

/** The value if `work` settles within `ms`, else null (the work goes on). */
async function settleWithin<T>(work: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
