import type { ChannelSettings } from '../store/store.js';
import { addDays, DAY_MS, parseClockTime } from '../time.js';
import { weekdayOf } from './weekdays.js';
import { wallClock, zonedInstant } from './zoned-time.js';

/** A channel's digest slot on one local date: when it is due. */
export interface Slot {
  localDate: string;
  at: Date;
}

/** The slot on the channel's current local date (it may lie ahead or behind `now`). */
export function slotOn(settings: Pick<ChannelSettings, 'time' | 'timeZone'>, now: Date): Slot {
  const time = parseClockTime(settings.time) ?? { hour: 9, minute: 0 };
  const localDate = wallClock(now, settings.timeZone).date;
  return { localDate, at: zonedInstant(localDate, time.hour, time.minute, settings.timeZone) };
}

/**
 * When the slot before `slot` was: the same time on the previous local date, but at most a day back (a DST
 * night makes that day 25 hours long).
 */
export function previousSlotAt(settings: Pick<ChannelSettings, 'time' | 'timeZone'>, slot: Slot): Date {
  const time = parseClockTime(settings.time) ?? { hour: 9, minute: 0 };
  const previous = zonedInstant(addDays(slot.localDate, -1), time.hour, time.minute, settings.timeZone);
  return new Date(Math.max(previous.getTime(), slot.at.getTime() - DAY_MS));
}

/** Due when today's slot has come; a slot missed while the bot was down stays due until the local day ends. */
export function isDue(settings: Pick<ChannelSettings, 'time' | 'timeZone'>, now: Date): boolean {
  return now.getTime() >= slotOn(settings, now).at.getTime();
}

/**
 * The weekly slot when the channel's current local date is its weekly day, else null. Like the daily slot, one
 * missed while the bot was down stays due until that local day ends.
 */
export function weeklySlotOn(settings: Pick<ChannelSettings, 'weekly' | 'timeZone'>, now: Date): Slot | null {
  if (!settings.weekly) return null;
  const slot = slotOn({ time: settings.weekly.time, timeZone: settings.timeZone }, now);
  return weekdayOf(slot.localDate) === settings.weekly.day ? slot : null;
}
