import { errorMessage } from '../errors.js';
import type { Command, Reply } from './command.js';
import type { CommandContext } from './context.js';
import { handleDigest } from './digest.js';
import { helpReply } from './help.js';
import { parseCommandText, type Verb } from './parse-command.js';
import { errorReply } from './replies.js';
import { handleSearch } from './search.js';
import { handleSettings } from './settings.js';
import { handleSummary } from './summary.js';
import { handleListSubscriptions, handleSubscribe, handleUnsubscribe } from './subscriptions.js';

type Handler = (ctx: CommandContext, command: Command, args: string) => Promise<Reply>;

/** The explicit registry: one handler per verb of DESIGN §5. */
const HANDLERS: Record<Verb, Handler> = {
  search: (ctx, command, args) => handleSearch(ctx, command, args),
  subscribe: handleSubscribe,
  unsubscribe: handleUnsubscribe,
  subscriptions: (ctx, command) => handleListSubscriptions(ctx, command),
  summary: (ctx, _command, args) => handleSummary(ctx, args),
  digest: handleDigest,
  settings: handleSettings,
  help: async () => helpReply(),
};

export const MAX_COMMAND_LENGTH = 2000;

/** Platform-neutral entry for every chat command. Never throws: failures become a short private error reply. */
export async function handleCommand(ctx: CommandContext, command: Command): Promise<Reply> {
  if (command.text.length > MAX_COMMAND_LENGTH) {
    return errorReply(`That command is too long (${command.text.length} characters; the limit is ${MAX_COMMAND_LENGTH}).`);
  }
  const { verb, args } = parseCommandText(command.text);
  const started = performance.now();
  try {
    if (verb === 'search' && args === '') return helpReply();
    return await HANDLERS[verb](ctx, command, args);
  } catch (error) {
    ctx.logger.error({ err: errorMessage(error), verb, channel: `${command.channel.platform}:${command.channel.id}` }, 'command failed');
    return errorReply('Something went wrong on our side; please try again in a moment.', 'internal');
  } finally {
    ctx.metrics?.commandLatency.observe({ platform: command.platform, verb }, (performance.now() - started) / 1000);
  }
}
