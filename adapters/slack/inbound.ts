import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * What Slack sends, validated before use: the request envelope (form-encoded slash commands, form-encoded
 * interactivity with a JSON `payload`, JSON events) and the fields each flow reads. Anything else is refused.
 */

const userId = z.string().regex(/^[UW][A-Z0-9]{2,30}$/);
const channelId = z.string().regex(/^[CGD][A-Z0-9]{2,30}$/);
const ts = z.string().regex(/^\d{1,12}\.\d{1,8}$/);
const triggerId = z.string().min(1).max(200);
/** A workspace (T…) or Enterprise Grid org (E…); anything else is ignored and the bot token's team is used. */
const teamId = z.string().regex(/^[TE][A-Z0-9]{2,30}$/).optional().catch(undefined);

/**
 * `response_url` comes inside the signed request; Slack's are https://hooks.slack.com/…. Any https URL is
 * accepted (Slack Enterprise uses other hosts), plain http only on loopback, which is where tests run the fake.
 */
export const responseUrl = z
  .url()
  .max(2000)
  .refine((raw) => {
    const url = new URL(raw);
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
  }, 'response_url must be https');

export const slashCommandSchema = z.object({
  command: z.string().min(2).max(64).startsWith('/'),
  text: z.string().max(10_000).default(''),
  user_id: userId,
  channel_id: channelId,
  team_id: teamId,
  response_url: responseUrl,
  trigger_id: triggerId,
});
export type SlashCommand = z.output<typeof slashCommandSchema>;

export const blockActionsSchema = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: userId }),
  // Null for apps installed across an Enterprise Grid org.
  team: z.object({ id: teamId }).nullish().catch(undefined),
  channel: z.object({ id: channelId }).optional(),
  container: z
    .object({
      type: z.string().max(40),
      is_ephemeral: z.boolean().optional(),
      channel_id: channelId.optional(),
      message_ts: ts.optional(),
      thread_ts: ts.optional(),
    })
    .optional(),
  message: z.object({ ts, thread_ts: ts.optional() }).optional(),
  response_url: responseUrl.optional(),
  trigger_id: triggerId.optional(),
  actions: z
    .array(z.object({ action_id: z.string().min(1).max(255), value: z.string().max(2000).optional() }))
    .min(1)
    .max(5),
});
export type BlockActions = z.output<typeof blockActionsSchema>;

/**
 * The envelope every request must have for Bolt to route it (a command, a typed payload, or Slack's SSL
 * check); the flows validate the rest. One object schema: this runs on every request, so it stays cheap.
 */
const envelope = z
  .looseObject({
    command: z.string().max(64).optional(),
    type: z.string().max(64).optional(),
    ssl_check: z.string().optional(),
    event_id: z.string().max(100).optional(),
    trigger_id: z.string().max(200).optional(),
  })
  .refine((body) => body.command !== undefined || body.type !== undefined || body.ssl_check === '1', 'not a Slack request');
export type Envelope = z.output<typeof envelope>;

/** The body of a POST /slack/events by content type, or null when it is none of Slack's shapes. */
export function parseEnvelope(contentType: string | undefined, raw: Buffer): Envelope | null {
  let body: unknown;
  try {
    if (contentType?.startsWith('application/json')) {
      body = JSON.parse(raw.toString('utf8'));
    } else if (contentType?.startsWith('application/x-www-form-urlencoded')) {
      const form = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
      body = typeof form.payload === 'string' ? JSON.parse(form.payload) : form;
    } else {
      return null;
    }
  } catch {
    return null;
  }
  const parsed = envelope.safeParse(body);
  return parsed.success ? parsed.data : null;
}

/** What makes a delivery the same delivery when Slack sends it again: event id, trigger id, or the bytes. */
export function deliveryKey(body: Envelope, raw: Buffer | string): string {
  if (body.event_id !== undefined) return `event:${body.event_id}`;
  if (body.trigger_id !== undefined) return `trigger:${body.trigger_id}`;
  return `body:${createHash('sha256').update(raw).digest('hex')}`;
}
