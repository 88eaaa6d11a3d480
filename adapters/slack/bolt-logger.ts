import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import { redactUrlsIn } from '../../src/http/redact-url.js';
import type { Logger } from '../../src/logger.js';

const LEVELS: Record<string, LogLevel> = { trace: LogLevel.DEBUG, debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN };

/**
 * Bolt's and the Web API client's logs into our pino logger, as structured lines under `component: slack-sdk`.
 * They log request bodies at debug level, so debug is only on when ours is.
 */
export function slackSdkLogger(logger: Logger): SlackLogger {
  const child = logger.child({ component: 'slack-sdk' });
  // The SDK quotes request URLs (SLACK_API_URL may carry user:password@) in its messages.
  const text = (parts: unknown[]) => redactUrlsIn(parts.map((part) => (typeof part === 'string' ? part : part instanceof Error ? part.message : JSON.stringify(part))).join(' '));
  // Formatted only when the level is on: the client logs every request's and answer's body at debug level, and
  // joining and scanning them for each post cost a fan-out to 1,000 channels ~10% of its CPU.
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (...parts: unknown[]) => {
    if (child.isLevelEnabled(level)) child[level](text(parts));
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: () => undefined,
    getLevel: () => LEVELS[child.level] ?? LogLevel.ERROR,
    setName: () => undefined,
  };
}
