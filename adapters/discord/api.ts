import { createHash, randomBytes } from 'node:crypto';
import { Routes, type REST } from 'discord.js';
import { z } from 'zod';
import { PaperboyError } from '../../src/errors.js';
import { assertSendable, type DiscordMessage } from './message.js';
import { toPaperboyError } from './client.js';

const snowflake = z.string().regex(/^\d{17,20}$/);
const messageSchema = z.object({ id: snowflake, channel_id: snowflake, thread: z.object({ id: snowflake }).optional() });
const channelSchema = z.object({ id: snowflake, type: z.number().int(), guild_id: snowflake.nullish() });

const listedMessageSchema = z.object({
  id: snowflake,
  author: z.object({ id: snowflake }),
  embeds: z.array(z.object({ url: z.string().optional() })).default([]),
  components: z.array(z.object({ components: z.array(z.object({ custom_id: z.string().optional() })).default([]) })).default([]),
  thread: z.object({ id: snowflake }).optional(),
});
const userSchema = z.object({ id: snowflake });
const applicationSchema = z.object({ id: snowflake, name: z.string() });

export type ChannelInfo = z.infer<typeof channelSchema>;
export type ListedMessage = z.infer<typeof listedMessageSchema>;

/** An interaction response (DESIGN §6): 1 pong, 4 message, 5 deferred message, 7 update, 8 autocomplete. */
export type InteractionResponse =
  | { type: 1 }
  | { type: 4 | 7; data: DiscordMessage }
  | { type: 5; data: { flags?: number; allowed_mentions: DiscordMessage['allowed_mentions'] } }
  | { type: 8; data: { choices: { name: string; value: string }[] } };

/**
 * The Discord routes paperboy uses, each through discord.js's REST (its buckets and 429 handling). Bodies are
 * checked against Discord's limits before sending; what comes back is validated before we use it.
 */
export class DiscordApi {
  private me: Promise<string> | undefined;

  constructor(readonly rest: REST) {}

  /**
   * `idempotencyKey` names what the message is (a digest's paper in a channel): its nonce is derived from it, so a
   * repeat, whether discord.js retrying after a timeout or another process resuming the delivery, is answered by
   * Discord with the message it already created (`enforce_nonce`, for the few minutes Discord keeps nonces).
   */
  async createMessage(channelId: string, message: DiscordMessage, idempotencyKey?: string): Promise<{ id: string; channelId: string; threadId: string | null }> {
    const nonce = idempotencyKey ? createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 25) : randomBytes(12).toString('base64url');
    const body = { ...assertSendable(message), nonce, enforce_nonce: true };
    const posted = await this.call('post a message', () => this.rest.post(Routes.channelMessages(channelId), { body }), messageSchema);
    return { id: posted.id, channelId: posted.channel_id, threadId: posted.thread?.id ?? null };
  }

  async editMessage(channelId: string, messageId: string, message: DiscordMessage): Promise<void> {
    await this.call('edit a message', () => this.rest.patch(Routes.channelMessage(channelId, messageId), { body: assertSendable(message) }), messageSchema);
  }

  /** A public thread started from a message; its id is the message's id. */
  async startThread(channelId: string, messageId: string, name: string, autoArchiveMinutes: number): Promise<{ id: string }> {
    const body = { name, auto_archive_duration: autoArchiveMinutes };
    return this.call('start a thread', () => this.rest.post(Routes.threads(channelId, messageId), { body }), channelSchema);
  }

  /** A forum post: a thread whose first message is `message`; the starter message's id is the thread's id. */
  async startForumPost(forumId: string, name: string, autoArchiveMinutes: number, message: DiscordMessage): Promise<{ id: string }> {
    const body = { name, auto_archive_duration: autoArchiveMinutes, message: assertSendable(message) };
    return this.call('start a forum post', () => this.rest.post(Routes.threads(forumId), { body }), channelSchema);
  }

  async getChannel(channelId: string): Promise<ChannelInfo> {
    return this.call('look up a channel', () => this.rest.get(Routes.channel(channelId)), channelSchema);
  }

  /** Up to 100 messages, newest first; `after` limits them to ones posted after that message. */
  async listMessages(channelId: string, options: { after?: string; limit?: number } = {}): Promise<ListedMessage[]> {
    const query = new URLSearchParams({ limit: String(options.limit ?? 100) });
    if (options.after) query.set('after', options.after);
    return this.call('read messages', () => this.rest.get(Routes.channelMessages(channelId), { query }), z.array(listedMessageSchema));
  }

  /** The application the token belongs to: verifies the token (401 when Discord rejects it). */
  async application(): Promise<{ id: string; name: string }> {
    return this.call('look up the application', () => this.rest.get(Routes.currentApplication()), applicationSchema);
  }

  /** The bot's own user id (to recognise its messages when resuming a delivery); asked once. */
  async botUserId(): Promise<string> {
    this.me ??= this.call('look up the bot user', () => this.rest.get(Routes.user('@me')), userSchema).then((user) => user.id);
    return this.me.catch((error: unknown) => {
      this.me = undefined;
      throw error;
    });
  }

  /** Gateway mode's answer to an interaction (in HTTP mode the answer is the HTTP response itself). */
  async respond(interactionId: string, token: string, response: InteractionResponse): Promise<void> {
    if (response.type === 4 || response.type === 7) assertSendable(response.data);
    await this.callRaw('answer an interaction', () => this.rest.post(Routes.interactionCallback(interactionId, token), { body: response, auth: false }));
  }

  /** Completes a deferred answer (`PATCH …/messages/@original`); the token is valid for 15 minutes. */
  async editOriginal(applicationId: string, token: string, message: DiscordMessage): Promise<void> {
    // The flags of a deferred answer were fixed when it was deferred; an edit may not change them.
    const { flags: _flags, ...body } = assertSendable(message);
    await this.callRaw('edit an interaction answer', () => this.rest.patch(Routes.webhookMessage(applicationId, token, '@original'), { body, auth: false }));
  }

  async followUp(applicationId: string, token: string, message: DiscordMessage): Promise<void> {
    await this.callRaw('send a follow-up', () => this.rest.post(Routes.webhook(applicationId, token), { body: assertSendable(message), auth: false }));
  }

  private async call<T>(action: string, request: () => Promise<unknown>, schema: z.ZodType<T>): Promise<T> {
    const body = await this.callRaw(action, request);
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new PaperboyError('discord_bad_response', `Discord ${action}: unexpected response (${parsed.error.issues[0]?.message ?? 'invalid'})`);
    return parsed.data;
  }

  private async callRaw(action: string, request: () => Promise<unknown>): Promise<unknown> {
    try {
      return await request();
    } catch (error) {
      throw toPaperboyError(error, action);
    }
  }
}
