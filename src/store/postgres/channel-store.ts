import { formatChannelRef } from '../../channel.js';
import type { ChannelRef } from '../../channel.js';
import { channelSettingsFromRow, channelSettingsFromRows, type ChannelRow } from '../rows.js';
import type { ChannelSettings, ChannelStore } from '../store.js';
import type { Queryable } from './database.js';

const COLUMNS = 'channel, time, time_zone, size, paused, empty_day_note, paused_reason, weekly_day, weekly_time, language, digest_source';

export class PostgresChannelStore implements ChannelStore {
  constructor(private readonly db: Queryable) {}

  async getChannelSettings(channel: ChannelRef): Promise<ChannelSettings | null> {
    const [row] = await this.db.rows<ChannelRow>(`SELECT ${COLUMNS} FROM channels WHERE channel = $1`, [formatChannelRef(channel)]);
    return row ? channelSettingsFromRow(row) : null;
  }

  async saveChannelSettings(settings: ChannelSettings): Promise<void> {
    await this.db.run(
      `INSERT INTO channels (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (channel) DO UPDATE SET time = excluded.time, time_zone = excluded.time_zone, size = excluded.size,
         paused = excluded.paused, empty_day_note = excluded.empty_day_note, paused_reason = excluded.paused_reason,
         weekly_day = excluded.weekly_day, weekly_time = excluded.weekly_time, language = excluded.language,
         digest_source = excluded.digest_source`,
      [
        formatChannelRef(settings.channel),
        settings.time,
        settings.timeZone,
        settings.size,
        settings.paused,
        settings.emptyDayNote,
        settings.paused ? (settings.pausedReason ?? null) : null,
        settings.weekly?.day ?? null,
        settings.weekly?.time ?? null,
        settings.language ?? null,
        settings.source ?? 'hf',
      ],
    );
  }

  async listChannelSettings(): Promise<ChannelSettings[]> {
    const rows = await this.db.rows<ChannelRow>(`SELECT ${COLUMNS} FROM channels ORDER BY channel`);
    return channelSettingsFromRows(rows);
  }
}
