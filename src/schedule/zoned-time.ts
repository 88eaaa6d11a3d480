import { DAY_MS } from '../time.js';
import { LruCache } from '../util/lru-cache.js';

/**
 * Wall-clock time in IANA zones without a date library. Daylight-saving rules: a time that doesn't exist
 * (spring forward) runs at the first instant after the gap; a time that happens twice (fall back) runs at the
 * first occurrence.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

export interface WallClock {
  date: string;
  hour: number;
  minute: number;
}

export function wallClock(at: Date, timeZone: string): WallClock {
  const key = `${at.getTime()}|${timeZone}`;
  let shown = wallClocks.get(key);
  if (!shown) wallClocks.set(key, (shown = Object.freeze(computeWallClock(at, timeZone))));
  return shown;
}

function computeWallClock(at: Date, timeZone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(at)) parts[part.type] = part.value;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour), minute: Number(parts.minute) };
}

/** Offset of `timeZone` from UTC at `at`, in minutes (Berlin in summer: +120). */
function offsetMinutes(at: Date, timeZone: string): number {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(at)) parts[part.type] = part.value;
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/**
 * Answers already worked out: a scheduled run asks the same few questions for every channel (a thousand channels
 * in one zone at one time), and each costs several Intl formats.
 */
const instants = new LruCache<string, number>(1_000);
const wallClocks = new LruCache<string, WallClock>(1_000);

/** The instant the wall clock in `timeZone` shows `hour:minute` on `date` (see the DST rules above). */
export function zonedInstant(date: string, hour: number, minute: number, timeZone: string): Date {
  const key = `${date}|${hour}|${minute}|${timeZone}`;
  let at = instants.get(key);
  if (at === undefined) instants.set(key, (at = computeZonedInstant(date, hour, minute, timeZone).getTime()));
  return new Date(at);
}

function computeZonedInstant(date: string, hour: number, minute: number, timeZone: string): Date {
  const naive = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), hour, minute);
  // Try the offsets in force a day either side; keep the earliest candidate that really shows that wall time.
  const offsets = new Set([offsetMinutes(new Date(naive - DAY_MS), timeZone), offsetMinutes(new Date(naive), timeZone), offsetMinutes(new Date(naive + DAY_MS), timeZone)]);
  const exact = [...offsets]
    .map((offset) => new Date(naive - offset * 60_000))
    .filter((candidate) => {
      const shown = wallClock(candidate, timeZone);
      return shown.date === date && shown.hour === hour && shown.minute === minute;
    })
    .sort((a, b) => a.getTime() - b.getTime());
  if (exact[0]) return exact[0];
  // In the gap: the wall time is skipped, so run when the clock jumps past it (the larger offset's instant
  // is earlier; the smaller offset's instant lands after the jump).
  const after = [...offsets].map((offset) => new Date(naive - offset * 60_000)).sort((a, b) => b.getTime() - a.getTime())[0]!;
  return firstInstantAtOrAfterWallTime(after, date, hour, minute, timeZone);
}

function firstInstantAtOrAfterWallTime(guess: Date, date: string, hour: number, minute: number, timeZone: string): Date {
  // Walk back minute by minute to the first instant whose wall time is past the skipped time on that date.
  let at = guess.getTime();
  for (let i = 0; i < 180; i++) {
    const previous = wallClock(new Date(at - 60_000), timeZone);
    const beforeTarget = previous.date < date || (previous.date === date && previous.hour * 60 + previous.minute < hour * 60 + minute);
    if (beforeTarget) break;
    at -= 60_000;
  }
  return new Date(at);
}
