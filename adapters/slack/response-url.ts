import { errorMessage, PaperboyError } from '../../src/errors.js';
import { realSleep, type Sleep } from '../../src/http/sleep.js';
import { LazyAgent } from '../../src/http/undici.js';
import type { Logger } from '../../src/logger.js';
import { assertSendable } from './message.js';
import type { ReplyMessage } from './render.js';

export interface FollowUpOptions {
  /** Replace the message the button was on (a search page with the next one); default: a new message. */
  replaceOriginal?: boolean;
  /** Post in this thread (a button pressed inside one). */
  threadTs?: string;
}

/**
 * Answers sent to a `response_url` (valid 30 minutes, 5 uses): the rest of a slow command, and what buttons
 * show. The URL was validated with the request that carried it. One retry on 5xx or a network failure; a
 * failure after that is thrown, for the caller to log. Sent with undici's `request` on a kept-alive agent: a burst of
 * commands answered after their acks is fifty of these, and `fetch` cost ~1 ms of CPU each.
 */
export class ResponseUrlClient {
  private readonly agent: LazyAgent;

  constructor(
    private readonly logger: Logger,
    private readonly options: { timeoutMs: number; sleep?: Sleep } = { timeoutMs: 10_000 },
  ) {
    this.agent = new LazyAgent(options.timeoutMs);
  }

  async send(url: string, message: ReplyMessage, options: FollowUpOptions = {}): Promise<void> {
    assertSendable(message);
    const body = JSON.stringify({
      response_type: message.responseType,
      text: message.text,
      blocks: message.blocks,
      replace_original: options.replaceOriginal ?? false,
      ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    });
    const target = new URL(url);
    for (let attempt = 1; ; attempt++) {
      let problem: string;
      try {
        const response = await (await this.agent.get()).request({ origin: target.origin, path: `${target.pathname}${target.search}`, method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const text = await response.body.text();
        if (response.statusCode >= 200 && response.statusCode < 300) return;
        problem = `HTTP ${response.statusCode} ${text.slice(0, 200)}`;
        if (response.statusCode < 500) throw new PaperboyError('response_url_refused', `response_url refused the answer: ${problem}`, { status: response.statusCode });
      } catch (error) {
        if (error instanceof PaperboyError) throw error;
        problem = errorMessage(error);
      }
      if (attempt >= 2) throw new PaperboyError('response_url_failed', `response_url failed twice: ${problem}`);
      this.logger.warn({ err: problem }, 'slack: response_url post failed; retrying once');
      await (this.options.sleep ?? realSleep)(500);
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}
