/**
 * Discord's hard limits (DESIGN §6) as data. The renderer cuts text to these before anything is sent, and
 * `message-schema.ts` checks every outgoing body against them, so a 400 from Discord is never how we find out.
 */
export const DISCORD_LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  /** Title + description + field names and values + footer text + author name, over all embeds of a message. */
  embedCharsPerMessage: 6000,
  embed: {
    title: 256,
    description: 4096,
    fields: 25,
    fieldName: 256,
    fieldValue: 1024,
    footer: 2048,
    author: 256,
    url: 2048,
  },
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  buttonUrl: 512,
  customId: 100,
  threadName: 100,
  autocompleteChoices: 25,
  autocompleteChoice: 100,
} as const;

/** `auto_archive_duration` values Discord accepts, in minutes; a daily digest's thread archives after a day. */
export const THREAD_AUTO_ARCHIVE_MINUTES = 1440;

/** Message flag: only the person who ran the command sees the reply. */
export const EPHEMERAL = 64;

/** Permission bits we read from an interaction's `member.permissions`. */
export const PERMISSIONS = {
  administrator: 1n << 3n,
  manageChannels: 1n << 4n,
} as const;

/**
 * Permissions the invite asks for: Send Messages (1<<11), Embed Links (1<<14), Read Message History (1<<16),
 * Create Public Threads (1<<35) and Send Messages in Threads (1<<38) = 309237729280. Reading history is only for
 * resuming a delivery after a crash (without it Discord returns no messages and a crashed post may repeat).
 */
export const INVITE_PERMISSIONS = (1n << 11n) | (1n << 14n) | (1n << 16n) | (1n << 35n) | (1n << 38n);
