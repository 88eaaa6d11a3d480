export type Platform = 'slack' | 'discord' | 'console';

/** A channel as one tagged value; `slack:C0123` / `discord:123456789012345678` / `console:terminal`. */
export interface ChannelRef {
  platform: Platform;
  id: string;
}

const idPatterns: Record<Platform, RegExp> = {
  slack: /^[CGD][A-Z0-9]{2,}$/,
  discord: /^\d{17,20}$/,
  console: /^[a-z0-9-]{1,40}$/,
};

export function parseChannelRef(text: string): ChannelRef | null {
  const separator = text.indexOf(':');
  if (separator < 0) return null;
  const platform = text.slice(0, separator);
  const id = text.slice(separator + 1);
  if (!isPlatform(platform) || !idPatterns[platform].test(id)) return null;
  return { platform, id };
}

export function formatChannelRef(ref: ChannelRef): string {
  return `${ref.platform}:${ref.id}`;
}

export function sameChannel(a: ChannelRef, b: ChannelRef): boolean {
  return a.platform === b.platform && a.id === b.id;
}

function isPlatform(value: string): value is Platform {
  return value === 'slack' || value === 'discord' || value === 'console';
}

export const CONSOLE_CHANNEL: ChannelRef = { platform: 'console', id: 'terminal' };
