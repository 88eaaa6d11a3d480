import type { Database } from 'better-sqlite3';
import { formatChannelRef, readChannelRef } from '../../channel.js';
import type { ChannelRef } from '../../channel.js';
import type { ChannelSettings, ChannelStore } from '../store.js';

interface ChannelRow {
  channel: string;
  time: string;
  time_zone: string;
  size: number;
  paused: number;
  empty_day_note: number;
  paused_reason: string | null;
}

export class SqliteChannelStore implements ChannelStore {
  private readonly byChannel;
  private readonly upsertRow;
  private readonly all;

  constructor(db: Database) {
    this.byChannel = db.prepare('SELECT * FROM channels WHERE channel = ?');
    this.all = db.prepare('SELECT * FROM channels ORDER BY channel');
    this.upsertRow = db.prepare(`
      INSERT INTO channels (channel, time, time_zone, size, paused, empty_day_note, paused_reason)
      VALUES (:channel, :time, :time_zone, :size, :paused, :empty_day_note, :paused_reason)
      ON CONFLICT (channel) DO UPDATE SET time = excluded.time, time_zone = excluded.time_zone,
        size = excluded.size, paused = excluded.paused, empty_day_note = excluded.empty_day_note,
        paused_reason = excluded.paused_reason`);
  }

  async getChannelSettings(channel: ChannelRef): Promise<ChannelSettings | null> {
    const row = this.byChannel.get(formatChannelRef(channel)) as ChannelRow | undefined;
    return row ? toSettings(row) : null;
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
    });
  }

  async listChannelSettings(): Promise<ChannelSettings[]> {
    return (this.all.all() as ChannelRow[]).flatMap((row) => {
      const settings = toSettings(row);
      return settings ? [settings] : [];
    });
  }
}

function toSettings(row: ChannelRow): ChannelSettings | null {
  const channel = readChannelRef(row.channel);
  if (!channel) return null;
  return {
    channel,
    time: row.time,
    timeZone: row.time_zone,
    size: row.size,
    paused: row.paused === 1,
    emptyDayNote: row.empty_day_note === 1,
    pausedReason: row.paused_reason,
  };
}
