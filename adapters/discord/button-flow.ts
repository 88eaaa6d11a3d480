import { decodeButton } from '../../src/commands/buttons.js';
import type { InteractionAnswer } from './answer.js';
import { answerCommand, commandFrom } from './command-flow.js';
import type { FlowDeps } from './flow-deps.js';
import type { InteractionBase } from './inbound.js';
import { DISCORD_LIMITS } from './limits.js';

/** *Summarise*, *Abstract* and *More*: the custom_id is the core's button string, handed over as a Command. */
export async function runButton(deps: FlowDeps, answer: InteractionAnswer, base: InteractionBase, customId: string, message: { ephemeral: boolean }): Promise<void> {
  const button = decodeButton(customId, DISCORD_LIMITS.customId);
  // A Discord thread is a channel of its own: the button's message is in `base.channelId`, and so is its thread.
  return answerCommand(deps, answer, commandFrom(base, { kind: 'button', button, place: { threadId: null, privateMessage: message.ephemeral } }));
}
