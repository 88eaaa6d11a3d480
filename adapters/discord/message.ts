import { z } from 'zod';
import { assertWithinLimits } from '../../src/delivery/sendable.js';
import { DISCORD_LIMITS as L } from './limits.js';

/** Mentions are never parsed from our text: no title, abstract or query can ping anyone. */
export interface NoMentions {
  parse: [];
}

export const NO_MENTIONS: NoMentions = { parse: [] };

export interface EmbedField {
  name: string;
  value: string;
  inline?: boolean;
}

export interface Embed {
  title?: string;
  description?: string;
  url?: string;
  color?: number;
  author?: { name: string };
  footer?: { text: string };
  thumbnail?: { url: string };
  fields?: EmbedField[];
}

export type Button =
  | { type: 2; style: 5; label: string; url: string }
  | { type: 2; style: 1 | 2 | 3 | 4; label: string; custom_id: string };

export interface ActionRow {
  type: 1;
  components: Button[];
}

/** A message body as we send it: to a channel, as an interaction response, a follow-up or an edit. */
export interface DiscordMessage {
  content?: string;
  embeds?: Embed[];
  components?: ActionRow[];
  flags?: number;
  allowed_mentions: NoMentions;
}

/** Characters Discord counts toward the 6000 per message. */
export function embedChars(embed: Embed): number {
  let total = (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
  for (const field of embed.fields ?? []) total += field.name.length + field.value.length;
  return total;
}

const text = (max: number) => z.string().min(1).max(max);
const url = (max: number) => z.string().max(max).regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) URL');

const embedSchema = z.object({
  title: text(L.embed.title).optional(),
  description: text(L.embed.description).optional(),
  url: url(L.embed.url).optional(),
  color: z.number().int().min(0).max(0xffffff).optional(),
  author: z.object({ name: text(L.embed.author) }).optional(),
  footer: z.object({ text: text(L.embed.footer) }).optional(),
  thumbnail: z.object({ url: url(L.embed.url) }).optional(),
  fields: z.array(z.object({ name: text(L.embed.fieldName), value: text(L.embed.fieldValue), inline: z.boolean().optional() })).max(L.embed.fields).optional(),
});

const buttonSchema = z.union([
  z.object({ type: z.literal(2), style: z.literal(5), label: text(L.buttonLabel), url: url(L.buttonUrl) }),
  z.object({ type: z.literal(2), style: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]), label: text(L.buttonLabel), custom_id: text(L.customId) }),
]);

/** Every limit of DESIGN §6 that a message body can break. */
export const discordMessageSchema = z
  .object({
    content: z.string().max(L.content).optional(),
    embeds: z.array(embedSchema).max(L.embedsPerMessage).optional(),
    components: z.array(z.object({ type: z.literal(1), components: z.array(buttonSchema).min(1).max(L.buttonsPerRow) })).max(L.actionRows).optional(),
    flags: z.number().int().optional(),
    allowed_mentions: z.object({ parse: z.array(z.never()).length(0) }),
  })
  .refine((m) => (m.embeds ?? []).reduce((sum, e) => sum + embedChars(e), 0) <= L.embedCharsPerMessage, 'embeds exceed 6000 characters together')
  .refine((m) => Boolean(m.content) || (m.embeds?.length ?? 0) > 0 || (m.components?.length ?? 0) > 0, 'a message needs content, embeds or components')
  .refine((m) => {
    const ids = (m.components ?? []).flatMap((row) => row.components.flatMap((b) => ('custom_id' in b ? [b.custom_id] : [])));
    return new Set(ids).size === ids.length;
  }, 'custom_ids must be unique within a message');

/** Checks a body against Discord's limits before it is sent. */
export function assertSendable<T extends DiscordMessage>(message: T): T {
  return assertWithinLimits(discordMessageSchema, message, { code: 'discord', name: 'Discord' });
}
