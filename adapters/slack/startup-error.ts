import { webApi } from '@slack/bolt';
import type { SlackSettings } from './settings.js';
import { errorMessage, PaperboyError } from '../../src/errors.js';
import { redactUrl, redactUrlsIn } from '../../src/http/redact-url.js';

/** Web API errors that mean the token itself is wrong, not Slack or the network. */
const REJECTED_TOKEN = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type']);

const TOKEN_HINTS = {
  SLACK_BOT_TOKEN: 'use the Bot User OAuth Token (xoxb-…) from OAuth & Permissions',
  SLACK_APP_TOKEN: 'use an app-level token (xapp-…) with connections:write from Basic Information → App-Level Tokens',
} as const;

/**
 * One line for a start-up failure that names the setting to fix. By the time this is called the client has
 * already retried what was transient (5xx, network, 429), so every failure here ends start-up.
 */
export function slackStartupError(error: unknown, method: string, setting: keyof typeof TOKEN_HINTS, config: Pick<SlackSettings, 'SLACK_API_URL'>): PaperboyError {
  const api = `SLACK_API_URL=${redactUrl(config.SLACK_API_URL)}`;
  const problem = describe(error, method);
  const line =
    problem.kind === 'platform' && REJECTED_TOKEN.has(problem.code)
      ? `Slack rejected ${setting} (${method}: ${problem.code}): ${TOKEN_HINTS[setting]}.`
      : problem.kind === 'platform'
        ? `Slack refused ${method} (${problem.code}); check ${setting} and the app's settings.`
        : problem.kind === 'http' && problem.status < 500
          ? `${api} answered HTTP ${problem.status} to ${method}; it should be Slack's Web API base (https://slack.com/api/).`
          : `Could not reach Slack at ${api} (${problem.kind === 'http' ? `${method}: HTTP ${problem.status}` : problem.detail}); check the network or SLACK_API_URL.`;
  return new PaperboyError('slack_start_failed', line, { cause: error, userMessage: line });
}

type Problem = { kind: 'platform'; code: string } | { kind: 'http'; status: number } | { kind: 'unreachable'; detail: string };

function describe(error: unknown, method: string): Problem {
  if (error instanceof PaperboyError) {
    if (error.code.startsWith('slack_') && !['slack_unavailable', 'slack_api_error'].includes(error.code)) return { kind: 'platform', code: error.code.slice('slack_'.length) };
    if (error.options.status !== undefined && error.options.status < 500) return { kind: 'http', status: error.options.status };
    // SlackApi's message already says what was tried: "Slack auth.test failed 4 times: HTTP 503".
    return { kind: 'unreachable', detail: error.message.replace(/^Slack /, '') };
  }
  const coded = error as { code?: string; statusCode?: number; data?: { error?: string } };
  if (coded.code === webApi.ErrorCode.PlatformError) return { kind: 'platform', code: coded.data?.error ?? 'unknown_error' };
  if (coded.code === webApi.ErrorCode.HTTPError && (coded.statusCode ?? 500) < 500) return { kind: 'http', status: coded.statusCode ?? 0 };
  return { kind: 'unreachable', detail: `${method}: ${redactUrlsIn(errorMessage(error))}` };
}
