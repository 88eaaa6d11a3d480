import type { ChannelRef } from '../channel.js';
import { isDigestSource } from '../digest/digest-source.js';
import { defaultSettings } from '../schedule/channels.js';
import { parseWeekday } from '../schedule/weekdays.js';
import { isDefaultLanguage, parseLanguage } from '../summarise/language.js';
import type { ChannelSettings, WeeklySchedule } from '../store/store.js';
import { isValidTimeZone, parseClockTime } from '../time.js';
import type { Command, Reply } from './command.js';
import type { CommandContext } from './context.js';
import { ADMIN_REFUSAL, errorReply, quoteUserText } from './replies.js';

const SETTINGS_USAGE = 'Use /papers settings time 08:30 tz Europe/Berlin size 5, weekly mon 09:00 (or weekly off), lang de (or lang off), source hf|arxiv|both, or /papers settings off / on.';
const NO_ARXIV = "This bot doesn't read arXiv (its ARXIV_CATEGORIES setting is empty), so the digest can only come from Hugging Face: use source hf, or ask whoever runs it to set ARXIV_CATEGORIES.";

export async function channelSettings(ctx: CommandContext, channel: ChannelRef): Promise<ChannelSettings> {
  return (await ctx.store.getChannelSettings(channel)) ?? defaultSettings(channel, ctx.defaults);
}

/**
 * `settings` shows; `settings time 08:30 tz Europe/Berlin size 5 off|on note on|off weekly mon 09:00|off lang de|off
 * source hf|arxiv|both`
 * changes, all or nothing.
 */
export async function handleSettings(ctx: CommandContext, command: Command, args: string): Promise<Reply> {
  const current = await channelSettings(ctx, command.channel);
  if (!args) return { type: 'settings', visibility: 'private', settings: current, changed: false };
  if (!command.canAdminister) return errorReply(ADMIN_REFUSAL);

  const next = applySettings(current, args.split(/\s+/), { arxivCategories: ctx.arxivCategories ?? [] });
  if (typeof next === 'string') return errorReply(`${next} ${SETTINGS_USAGE}`);
  await ctx.store.saveChannelSettings(next);
  ctx.onSettingsChanged?.(next);
  return { type: 'settings', visibility: 'channel', settings: next, changed: true };
}

/**
 * Returns the new settings, or an error message; never half-applies. A digest from arXiv needs `arxivCategories`
 * (ARXIV_CATEGORIES): without them no arXiv paper reaches the store.
 */
export function applySettings(current: ChannelSettings, words: string[], options: { arxivCategories?: readonly string[] } = {}): ChannelSettings | string {
  const next = { ...current };
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!.toLowerCase();
    const value = words[i + 1];
    switch (word) {
      case 'time': {
        const time = value ? parseClockTime(value) : null;
        if (!time) return `${value ? quoteUserText(value, 20) : 'Nothing'} is not a time like 08:30.`;
        next.time = formatClockTime(time);
        i++;
        break;
      }
      case 'tz':
      case 'timezone': {
        if (!value || !isValidTimeZone(value)) return `${value ? quoteUserText(value, 40) : 'Nothing'} is not a time zone like Europe/Berlin.`;
        next.timeZone = canonicalZone(value);
        i++;
        break;
      }
      case 'size': {
        const size = value && /^\d{1,2}$/.test(value) ? Number(value) : NaN;
        if (!(size >= 1 && size <= 25)) return 'Size must be a number from 1 to 25.';
        next.size = size;
        i++;
        break;
      }
      case 'off':
        next.paused = true;
        break;
      case 'on':
        next.paused = false;
        break;
      case 'note': {
        if (value !== 'on' && value !== 'off') return 'Use note on or note off (a short note on days without papers).';
        next.emptyDayNote = value === 'on';
        i++;
        break;
      }
      case 'lang':
      case 'language': {
        const language = parseLanguageWords(words.slice(i + 1, i + 3));
        if (typeof language === 'string') return language;
        next.language = language.tag;
        i += language.words;
        break;
      }
      case 'source': {
        const source = value?.toLowerCase() ?? '';
        if (!isDigestSource(source)) return `${value ? quoteUserText(value, 20) : 'Nothing'} is not a source: use source hf, arxiv or both.`;
        if (source !== 'hf' && !options.arxivCategories?.length) return NO_ARXIV;
        next.source = source;
        i++;
        break;
      }
      case 'weekly': {
        const weekly = parseWeekly(words.slice(i + 1, i + 3));
        if (typeof weekly === 'string') return weekly;
        next.weekly = weekly.schedule;
        i += weekly.words;
        break;
      }
      default:
        return `Unknown setting ${quoteUserText(words[i]!, 20)}.`;
    }
  }
  return next;
}

/** `off`, or a day (mon..sun, or its full name) and a time: the weekly schedule and how many words it took. */
function parseWeekly(words: string[]): { schedule: WeeklySchedule | null; words: number } | string {
  const [dayWord, timeWord] = words;
  if (dayWord?.toLowerCase() === 'off') return { schedule: null, words: 1 };
  const day = dayWord ? parseWeekday(dayWord) : null;
  if (!day) return `${dayWord ? quoteUserText(dayWord, 20) : 'Nothing'} is not a day like mon or Monday (or use weekly off).`;
  const time = timeWord ? parseClockTime(timeWord) : null;
  if (!time) return `${timeWord ? quoteUserText(timeWord, 20) : 'Nothing'} is not a time like 09:00.`;
  return { schedule: { day, time: formatClockTime(time) }, words: 2 };
}

/**
 * `off`, a BCP-47 tag or an English name of one or two words (`Brazilian Portuguese`): the canonical tag (null for
 * English, the default) and how many words it took.
 */
function parseLanguageWords(words: string[]): { tag: string | null; words: number } | string {
  const [first, second] = words;
  if (!first) return 'Nothing is not a language like de, ja, pt-BR or German.';
  if (first.toLowerCase() === 'off') return { tag: null, words: 1 };
  const twoWords = second ? parseLanguage(`${first} ${second}`) : null;
  const tag = twoWords ?? parseLanguage(first);
  if (!tag) return `${quoteUserText(first, 30)} is not a language like de, ja, pt-BR or German.`;
  return { tag: isDefaultLanguage(tag) ? null : tag, words: twoWords ? 2 : 1 };
}

function formatClockTime(time: { hour: number; minute: number }): string {
  return `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;
}

function canonicalZone(zone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
}
