import { formatChannelRef, readChannelRef } from '../../channel.js';
import type { ChannelRef } from '../../channel.js';
import type { ChannelSettings, ChannelStore } from '../store.js';
import type { Queryable } from './database.js';

interface ChannelRow {
  channel: string;
  time: string;
  time_zone: string;
  size: number;
  paused: boolean;
  empty_day_note: boolean;
  paused_reason: string | null;
}

const COLUMNS = 'channel, time, time_zone, size, paused, empty_day_note, paused_reason';

export class PostgresChannelStore implements ChannelStore {
  constructor(private readonly db: Queryable) {}

  async getChannelSettings(channel: ChannelRef): Promise<ChannelSettings | null> {
    const [row] = await this.db.rows<ChannelRow>(`SELECT ${COLUMNS} FROM channels WHERE channel = $1`, [formatChannelRef(channel)]);
    return row ? toSettings(row) : null;
  }

  async saveChannelSettings(settings: ChannelSettings): Promise<void> {
    await this.db.run(
      `INSERT INTO channels (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (channel) DO UPDATE SET time = excluded.time, time_zone = excluded.time_zone, size = excluded.size,
         paused = excluded.paused, empty_day_note = excluded.empty_day_note, paused_reason = excluded.paused_reason`,
      [
        formatChannelRef(settings.channel),
        settings.time,
        settings.timeZone,
        settings.size,
        settings.paused,
        settings.emptyDayNote,
        settings.paused ? (settings.pausedReason ?? null) : null,
      ],
    );
  }

  async listChannelSettings(): Promise<ChannelSettings[]> {
    const rows = await this.db.rows<ChannelRow>(`SELECT ${COLUMNS} FROM channels ORDER BY channel`);
    return rows.flatMap((row) => {
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
    paused: row.paused,
    emptyDayNote: row.empty_day_note,
    pausedReason: row.paused_reason,
  };
}
