import { DAY_MS } from '../time.js';

/** Days of the week as channels name them, Monday first (ISO order). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const FULL_NAMES: Record<Weekday, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };

/** `mon`, `Monday`, `MONDAY` → `mon`; anything else → null. */
export function parseWeekday(text: string): Weekday | null {
  const word = text.trim().toLowerCase();
  return WEEKDAYS.find((day) => day === word || FULL_NAMES[day].toLowerCase() === word) ?? null;
}

export function isWeekday(text: string): text is Weekday {
  return (WEEKDAYS as readonly string[]).includes(text);
}

export function weekdayName(day: Weekday): string {
  return FULL_NAMES[day];
}

/** The weekday of a calendar date (YYYY-MM-DD). */
export function weekdayOf(date: string): Weekday {
  return WEEKDAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7]!;
}

/** ISO 8601 week of a calendar date: `2026-W48` (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  const thursday = new Date(day.getTime() + (3 - ((day.getUTCDay() + 6) % 7)) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS));
  return `${year}-W${String(week).padStart(2, '0')}`;
}
