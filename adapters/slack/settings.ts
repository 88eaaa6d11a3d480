import { z } from 'zod';
import { baseUrl, optionalText } from '../../src/config-fields.js';

/** Slack's settings, read from the environment with the core's (see .env.example and this folder's README). */
export const slackSettings = z.object({
  SLACK_BOT_TOKEN: z.string().trim().startsWith('xoxb-', 'must start with xoxb-').optional(),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: z.string().trim().startsWith('xapp-', 'must start with xapp-').optional(),
  // Bolt's WebClient expects the trailing slash.
  SLACK_API_URL: baseUrl.default('https://slack.com/api').transform((url) => `${url}/`),
  SLACK_ADMIN_USER_IDS: z
    .string()
    .trim()
    .transform((list) => list.split(',').map((id) => id.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be Slack user ids like U0123ABCD')))
    .optional(),
  // Slack's own pace for chat.postMessage is about one message per second per channel; only a Slack-compatible
  // test server (the crash and CLI tests) has reason to set another.
  SLACK_POST_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
});

export type SlackSettings = z.output<typeof slackSettings>;

export const SLACK_SECRETS = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN'] as const;
