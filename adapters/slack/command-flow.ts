import type { Command, Reply } from '../../src/commands/command.js';
import { runPlan } from '../../src/commands/handle-command.js';
import { planCommand } from '../../src/commands/plan-command.js';
import { errorMessage } from '../../src/errors.js';
import { unescapeSlackText } from './escape.js';
import { ackBody, canAdminister, requestWorkspace, type Ack, type FlowDeps } from './flow-deps.js';
import { slashCommandSchema } from './inbound.js';
import { renderReply, renderText, renderWorking } from './render.js';

/**
 * `/papers <text>` → a Command for the core. Slack wants an answer within 3 s: what the core knows will be slow
 * is acked at once with "working on it"; a command that came in a burst is acked empty at once and answered after
 * (see AnswerScheduler); anything else gets `ackBudgetMs` to finish in the ack, and past that acks "working on it"
 * too. Late answers go to the command's response_url.
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
    workspace: await requestWorkspace(deps, body.team_id),
    canAdminister: canAdminister(deps.admins, body.user_id),
    input: { kind: 'text', text: unescapeSlackText(body.text) },
  };

  const plan = await planCommand(deps.commands, command, deps.publisher);
  const render = (reply: Reply) => renderReply(reply, { admins: deps.admins });
  const followUp = (reply: Reply) =>
    deps.followUps.send(body.response_url, render(reply)).catch((error: unknown) => {
      deps.logger.error({ err: errorMessage(error), channel: body.channel_id }, 'slack: could not send a late command answer');
    });
  if (plan.slow !== null) {
    await ack(ackBody(renderWorking(plan.slow)));
    return followUp(await runPlan(deps.commands, command, plan));
  }
  if ((await deps.answers.placement()) === 'after-ack') {
    // Part of a burst: an empty acknowledgement shows nothing, and the answer follows on its own a moment later.
    await ack(undefined);
    return followUp(await deps.answers.later(() => runPlan(deps.commands, command, plan)));
  }
  const work = runPlan(deps.commands, command, plan);
  const quick = await settleWithin(work, deps.ackBudgetMs);
  if (quick) return ack(ackBody(render(quick)));
  await ack(ackBody(renderWorking('Working on it')));
  await followUp(await work);
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
