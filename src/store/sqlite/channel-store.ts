import type { Database } from 'better-sqlite3';
import { formatChannelRef } from '../../channel.js';
import type { ChannelRef } from '../../channel.js';
import { channelSettingsFromRow, channelSettingsFromRows, type ChannelRow } from '../rows.js';
import type { ChannelSettings, ChannelStore } from '../store.js';

export class SqliteChannelStore implements ChannelStore {
  private readonly byChannel;
  private readonly upsertRow;
  private readonly all;

  constructor(db: Database) {
    this.byChannel = db.prepare('SELECT * FROM channels WHERE channel = ?');
    this.all = db.prepare('SELECT * FROM channels ORDER BY channel');
    this.upsertRow = db.prepare(`
      INSERT INTO channels (channel, time, time_zone, size, paused, empty_day_note, paused_reason, weekly_day, weekly_time, language, digest_source)
      VALUES (:channel, :time, :time_zone, :size, :paused, :empty_day_note, :paused_reason, :weekly_day, :weekly_time, :language, :digest_source)
      ON CONFLICT (channel) DO UPDATE SET time = excluded.time, time_zone = excluded.time_zone,
        size = excluded.size, paused = excluded.paused, empty_day_note = excluded.empty_day_note,
        paused_reason = excluded.paused_reason, weekly_day = excluded.weekly_day, weekly_time = excluded.weekly_time,
        language = excluded.language, digest_source = excluded.digest_source`);
  }

  async getChannelSettings(channel: ChannelRef): Promise<ChannelSettings | null> {
    const row = this.byChannel.get(formatChannelRef(channel)) as ChannelRow | undefined;
    return row ? channelSettingsFromRow(row) : null;
  }

  async saveChannelSettings(settings: ChannelSettings): Promise<void> {
    this.upsertRow.run({
      channel: formatChannelRef(settings.channel),
      time: settings.time,
      time_zone: settings.timeZone,
      size: settings.size,
      paused: settings.paused ? 1 : 0,
      empty_day_note: settings.emptyDayNote ? 1 : 0,
      paused_reason: settings.paused ? (settings.pausedReason ?? null) : null,
      weekly_day: settings.weekly?.day ?? null,
      weekly_time: settings.weekly?.time ?? null,
      language: settings.language ?? null,
      digest_source: settings.source ?? 'hf',
    });
  }

  async listChannelSettings(): Promise<ChannelSettings[]> {
    return channelSettingsFromRows((this.all.all() as ChannelRow[]));
  }
}
