import { z } from 'zod';
import { PERMISSIONS } from './limits.js';

/**
 * One shape for an interaction, whether it came over HTTP (`POST /discord/interactions`) or the gateway
 * (`INTERACTION_CREATE`): both deliver the same JSON, which is validated here before anything reads it.
 */
export interface InteractionBase {
  id: string;
  applicationId: string;
  token: string;
  channelId: string;
  /** Discord channel type when the payload says (it does for current clients). */
  channelType: number | null;
  guildId: string | null;
  userId: string;
  /** May change the channel's subscriptions and settings (see `canAdminister`). */
  canAdminister: boolean;
}

export type Interaction =
  | { kind: 'ping' }
  | { kind: 'command'; base: InteractionBase; name: string; text: string }
  | { kind: 'autocomplete'; base: InteractionBase; name: string; text: string }
  | { kind: 'button'; base: InteractionBase; customId: string; message: { id: string; ephemeral: boolean } }
  | { kind: 'unsupported'; base: InteractionBase };

const snowflake = z.string().regex(/^\d{17,20}$/);
const option = z.object({ name: z.string().max(32), type: z.number().int(), value: z.unknown().optional(), focused: z.boolean().optional() });

const envelope = z.object({
  id: snowflake,
  application_id: snowflake,
  type: z.number().int().min(1).max(5),
  token: z.string().min(1).max(1000),
  guild_id: snowflake.optional(),
  channel_id: snowflake.optional(),
  channel: z.object({ id: snowflake, type: z.number().int() }).optional(),
  member: z.object({ user: z.object({ id: snowflake }), permissions: z.string().regex(/^\d{1,30}$/) }).optional(),
  user: z.object({ id: snowflake }).optional(),
  context: z.number().int().optional(),
  data: z.unknown().optional(),
  message: z.object({ id: snowflake, flags: z.number().int().optional() }).optional(),
});

const commandData = z.object({ name: z.string().min(1).max(32), options: z.array(option).max(25).optional() });
const componentData = z.object({ custom_id: z.string().min(1).max(100), component_type: z.number().int() });

/** The parsed interaction, or null when the body is not one we can trust the shape of. */
export function parseInteraction(body: unknown): Interaction | null {
  const parsed = envelope.safeParse(body);
  if (!parsed.success) return null;
  const raw = parsed.data;
  if (raw.type === 1) return { kind: 'ping' };

  const channelId = raw.channel_id ?? raw.channel?.id;
  const userId = raw.member?.user.id ?? raw.user?.id;
  if (!channelId || !userId) return null;
  const base: InteractionBase = {
    id: raw.id,
    applicationId: raw.application_id,
    token: raw.token,
    channelId,
    channelType: raw.channel?.type ?? null,
    guildId: raw.guild_id ?? null,
    userId,
    canAdminister: canAdminister(raw),
  };

  if (raw.type === 2 || raw.type === 4) {
    const data = commandData.safeParse(raw.data);
    if (!data.success) return null;
    const query = data.data.options?.find((o) => o.name === 'query');
    const text = typeof query?.value === 'string' ? query.value : '';
    return { kind: raw.type === 2 ? 'command' : 'autocomplete', base, name: data.data.name, text };
  }
  if (raw.type === 3) {
    const data = componentData.safeParse(raw.data);
    if (!data.success || !raw.message) return null;
    return { kind: 'button', base, customId: data.data.custom_id, message: { id: raw.message.id, ephemeral: ((raw.message.flags ?? 0) & 64) !== 0 } };
  }
  return { kind: 'unsupported', base };
}

/**
 * In a server: Manage Channels (or Administrator) in this channel, from `member.permissions`, which Discord
 * computes with the channel's overwrites. In the bot's DM the person is the only member of the channel, so
 * they administer it. Anywhere else (group DMs, user-installed contexts) nobody does.
 */
function canAdminister(raw: z.infer<typeof envelope>): boolean {
  if (raw.member) {
    const permissions = BigInt(raw.member.permissions);
    return (permissions & (PERMISSIONS.manageChannels | PERMISSIONS.administrator)) !== 0n;
  }
  const botDm = raw.context === 1 || raw.channel?.type === 1;
  return !raw.guild_id && botDm;
}
