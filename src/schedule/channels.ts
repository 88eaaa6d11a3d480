import { formatChannelRef, type ChannelRef } from '../channel.js';
import type { DigestDefaults } from '../commands/context.js';
import type { ChannelSettings, Store } from '../store/store.js';

/**
 * Every channel with a daily digest: those configured in DIGEST_CHANNELS (with the defaults unless the channel
 * changed them) and those that saved their own settings with `/papers settings`.
 */
export async function scheduledChannels(store: Store, configured: ChannelRef[], defaults: DigestDefaults): Promise<ChannelSettings[]> {
  const byChannel = new Map<string, ChannelSettings>();
  for (const channel of configured) {
    byChannel.set(formatChannelRef(channel), defaultSettings(channel, defaults));
  }
  for (const settings of await store.listChannelSettings()) byChannel.set(formatChannelRef(settings.channel), settings);
  return [...byChannel.values()];
}

/** A channel's settings before anyone changed them: the configured digest defaults, nothing else on. */
export function defaultSettings(channel: ChannelRef, defaults: DigestDefaults): ChannelSettings {
  return { channel, time: defaults.time, timeZone: defaults.timeZone, size: defaults.size, paused: false, emptyDayNote: false, weekly: null, language: null, source: 'hf' };
}

/** The language a channel's summaries are written in (undefined: the default, English). */
export async function channelLanguage(store: Pick<Store, 'getChannelSettings'>, channel: ChannelRef): Promise<string | undefined> {
  return (await store.getChannelSettings(channel))?.language ?? undefined;
}

/** Pauses a channel the platform says is gone, keeping its other settings, so other channels carry on. */
export async function pauseChannel(store: Store, settings: ChannelSettings, reason: string): Promise<void> {
  await store.saveChannelSettings({ ...settings, paused: true, pausedReason: reason });
}
