import { DISCORD_LIMITS as L } from './limits.js';
import { embedChars, type Embed } from './message.js';

/**
 * Splits embeds over as few messages as Discord allows, in order: at most 10 per message and 6000 characters
 * together. Each embed is already within its own limits (the renderer guarantees ≤ 6000 for a single one).
 */
export function packEmbeds(embeds: Embed[]): Embed[][] {
  const messages: Embed[][] = [];
  let current: Embed[] = [];
  let chars = 0;
  for (const embed of embeds) {
    const size = embedChars(embed);
    if (current.length > 0 && (current.length >= L.embedsPerMessage || chars + size > L.embedCharsPerMessage)) {
      messages.push(current);
      current = [];
      chars = 0;
    }
    current.push(embed);
    chars += size;
  }
  if (current.length > 0) messages.push(current);
  return messages;
}
