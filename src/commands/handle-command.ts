import type { ChannelPublisher } from '../delivery/publisher.js';
import { errorMessage, PaperboyError } from '../errors.js';
import type { Command, Reply } from './command.js';
import type { CommandContext } from './context.js';
import { planCommand, type CommandPlan } from './plan-command.js';
import { errorReply } from './replies.js';

export { MAX_COMMAND_LENGTH } from './plan-command.js';

/**
 * The platform-neutral entry for every command and button: plan it, then run it. `publisher` posts for everyone
 * in the command's channel (a digest here, a summary in a thread). Never throws: failures become a short private
 * error reply.
 */
export async function handleCommand(ctx: CommandContext, command: Command, publisher: ChannelPublisher): Promise<Reply> {
  return runPlan(ctx, command, await planCommand(ctx, command, publisher));
}

/** Runs a plan with the command's latency recorded and any failure turned into a private answer. */
export async function runPlan(ctx: CommandContext, command: Command, plan: CommandPlan): Promise<Reply> {
  const started = performance.now();
  try {
    return await plan.run();
  } catch (error) {
    ctx.logger.error({ err: errorMessage(error), command: plan.name, channel: `${command.channel.platform}:${command.channel.id}` }, 'command failed');
    // A platform's own refusal ("paperboy can't post in this channel…") says what to do; anything else is ours.
    if (error instanceof PaperboyError && error.options.userMessage) return errorReply(error.userMessage, 'unavailable');
    return errorReply('Something went wrong on our side; please try again in a moment.', 'internal');
  } finally {
    ctx.metrics?.commandLatency.observe({ platform: command.platform, verb: plan.name }, (performance.now() - started) / 1000);
  }
}
