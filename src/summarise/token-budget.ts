import { errorMessage } from '../errors.js';
import type { Logger } from '../logger.js';
import type { LlmUsageStore } from '../store/store.js';
import type { Clock } from '../time.js';
import { formatWorkspace, type Workspace } from '../workspace.js';

/**
 * Each workspace's daily LLM token budget (`LLM_DAILY_TOKEN_BUDGET`), counted per UTC day in the store every
 * process shares. It is checked before a call and charged after it, so calls already in flight when the budget
 * runs out still finish: a workspace can overshoot by at most what its concurrent calls use.
 */
export interface TokenBudget {
  /** True when the workspace has used its budget today: no LLM call for it until the next UTC day. */
  usedUp(workspace: Workspace): Promise<boolean>;
  /** Charges a call's tokens to the workspace's UTC day. */
  charge(workspace: Workspace, tokens: number): Promise<void>;
}

export interface TokenBudgetOptions {
  usage: LlmUsageStore | undefined;
  /** Tokens per workspace per UTC day; undefined: no limit (usage is still counted). */
  limit: number | undefined;
  clock: Clock;
  logger: Logger;
}

export function createTokenBudget({ usage, limit, clock, logger }: TokenBudgetOptions): TokenBudget {
  if (limit !== undefined && !usage) throw new Error('a daily LLM token budget needs a store to count usage in');
  const today = () => clock().toISOString().slice(0, 10);
  return {
    async usedUp(workspace) {
      if (limit === undefined || !usage) return false;
      try {
        return (await usage.llmTokensUsed(workspace, today())) >= limit;
      } catch (error) {
        // Summaries keep coming while the store is down: a budget is a spending cap, not a reason to stop.
        logger.warn({ workspace: formatWorkspace(workspace), err: errorMessage(error) }, 'LLM token usage unreadable; not enforcing the budget for this call');
        return false;
      }
    },
    async charge(workspace, tokens) {
      if (!usage || tokens <= 0) return;
      try {
        const used = await usage.addLlmTokens(workspace, today(), tokens);
        if (limit !== undefined && used >= limit && used - tokens < limit) {
          logger.warn({ workspace: formatWorkspace(workspace), used, budget: limit }, 'workspace used its daily LLM token budget; its new summaries come without the LLM until midnight UTC');
        }
      } catch (error) {
        logger.warn({ workspace: formatWorkspace(workspace), tokens, err: errorMessage(error) }, 'LLM token usage not recorded');
      }
    },
  };
}
