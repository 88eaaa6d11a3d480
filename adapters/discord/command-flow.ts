import type { Command } from '../../src/commands/command.js';
import { runPlan } from '../../src/commands/handle-command.js';
import { planCommand } from '../../src/commands/plan-command.js';
import type { InteractionAnswer } from './answer.js';
import { COMMAND_NAME } from './command-definition.js';
import { channelOf, type FlowDeps } from './flow-deps.js';
import type { InteractionBase } from './inbound.js';
import { renderReply, renderText } from './render.js';
import { DIRECT_MESSAGES_ID } from '../../src/workspace.js';

/** `/papers <query>`: the same grammar as Slack, handed to the core as a Command. */
export async function runCommand(deps: FlowDeps, answer: InteractionAnswer, base: InteractionBase, name: string, text: string): Promise<void> {
  if (name !== COMMAND_NAME) return answer.say(renderText(`paperboy only knows /${COMMAND_NAME}; ask an admin to run register-commands again.`));
  return answerCommand(deps, answer, commandFrom(base, { kind: 'text', text }));
}

/** The core plans; what it knows will be slow is deferred at once, the rest answered within `deferAfterMs` if it can. */
export async function answerCommand(deps: FlowDeps, answer: InteractionAnswer, command: Command): Promise<void> {
  const plan = await planCommand(deps.commands, command, deps.publisher);
  return answer.answer(async () => renderReply(await runPlan(deps.commands, command, plan)), { deferNow: plan.slow !== null });
}

export function commandFrom(base: InteractionBase, input: Command['input']): Command {
  const workspace = { platform: 'discord', id: base.guildId ?? DIRECT_MESSAGES_ID };
  return { platform: 'discord', channel: channelOf(base), userId: base.userId, workspace, canAdminister: base.canAdminister, input };
}
