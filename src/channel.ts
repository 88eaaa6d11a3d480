/** A channel as one tagged value: `slack:C0123`, `discord:123456789012345678`, `console:terminal`. */
export interface ChannelRef {
  /** A platform's name (its descriptor's `name`). */
  platform: string;
  id: string;
}

const PLATFORM_NAME = /^[a-z][a-z0-9-]{0,30}$/;
const ANY_ID = /^[^\s:]{1,100}$/;

/**
 * A `platform:id` written by paperboy itself (store rows, ledger keys): the shape is checked, the platform is
 * not, so rows of a platform that is not configured today still read back.
 */
export function readChannelRef(text: string): ChannelRef | null {
  const separator = text.indexOf(':');
  if (separator < 0) return null;
  const platform = text.slice(0, separator);
  const id = text.slice(separator + 1);
  return PLATFORM_NAME.test(platform) && ANY_ID.test(id) ? { platform, id } : null;
}

/**
 * A parser for channel refs people type (`DIGEST_CHANNELS`, `--channel`): the platform must be one of `platforms`
 * and the id must look like that platform's ids.
 */
export function channelRefParser(platforms: readonly { name: string; channelId: RegExp }[]): (text: string) => ChannelRef | null {
  const patterns = new Map(platforms.map((platform) => [platform.name, platform.channelId]));
  return (text) => {
    const ref = readChannelRef(text.trim());
    return ref && patterns.get(ref.platform)?.test(ref.id) ? ref : null;
  };
}

export function formatChannelRef(ref: ChannelRef): string {
  return `${ref.platform}:${ref.id}`;
}

export function sameChannel(a: ChannelRef, b: ChannelRef): boolean {
  return a.platform === b.platform && a.id === b.id;
}

export const CONSOLE_CHANNEL: ChannelRef = { platform: 'console', id: 'terminal' };
