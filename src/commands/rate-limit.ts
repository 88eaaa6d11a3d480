import { errorMessage } from '../errors.js';
import type { Command } from './command.js';
import type { CommandContext } from './context.js';

/** Each person's limit unless COMMANDS_PER_MINUTE says otherwise: generous for people, a wall for a script. */
export const DEFAULT_COMMANDS_PER_MINUTE = 10;

/**
 * 0 when `command` may run now, else the milliseconds until its sender may send another. A burst of the whole
 * minute's allowance, then evenly spread; counted in the store every replica shares, so a load balancer can't
 * multiply it.
 */
export async function commandWait(ctx: CommandContext, command: Command): Promise<number> {
  const perMinute = ctx.commandsPerMinute ?? DEFAULT_COMMANDS_PER_MINUTE;
  if (perMinute === 0) return 0;
  try {
    return await ctx.store.admit(`commands:${command.platform}:${command.userId}`, 60_000 / perMinute, perMinute, ctx.clock());
  } catch (error) {
    // A store that can't count must not stop people using the bot; the command itself will say if it fails.
    ctx.logger.warn({ err: errorMessage(error) }, 'command rate limit unavailable');
    return 0;
  }
}

export function rateLimitedText(waitMs: number, perMinute: number): string {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return `You're sending commands faster than paperboy answers them (${perMinute} a minute). Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
}
