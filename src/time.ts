/** Time helpers: everything that needs "now" takes a Clock so tests can pin it. */
import { GenerationalCache } from './util/generational-cache.js';

export type Clock = () => Date;

export const DAY_MS = 86_400_000;
export const systemClock: Clock = () => new Date();

export function parseClockTime(text: string): { hour: number; minute: number } | null {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  if (!match) return null;
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/** The calendar date (YYYY-MM-DD) of `at` in `timeZone`. */
export function localDate(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDay(text: string): boolean {
  const match = ISO_DAY.exec(text);
  if (!match) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}

export function addDays(day: string, delta: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + delta);
  return date.toISOString().slice(0, 10);
}

/** Inclusive list of days from `from` to `to`. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

// Building an Intl formatter costs ~1 ms; labels are asked for on every rendered search result.
const dayLabelFormat = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });

/**
 * Labels made so far: formatting one still costs ~20 µs, a search reply shows one per paper and a fan-out one per
 * channel, and the days asked about are few. Bounded all the same (two generations of 500), as what a day is can
 * come from a user.
 */
const dayLabels = new GenerationalCache<string, string>(500);

/** "Tue 12 May" — the day label used in digest titles. */
export function formatDayLabel(day: string): string {
  let label = dayLabels.get(day);
  if (label === undefined) {
    label = dayLabelFormat.format(new Date(`${day}T00:00:00Z`)).replace(',', '');
    dayLabels.set(day, label);
  }
  return label;
}
