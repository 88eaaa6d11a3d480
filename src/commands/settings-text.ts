import { weekdayName } from '../schedule/weekdays.js';
import type { ChannelSettings } from '../store/store.js';
import { isDefaultLanguage, languageName } from '../summarise/language.js';

/**
 * The parts of a channel's settings beyond the daily schedule, as short phrases every adapter shows the same way
 * (`weekly top papers on Mondays at 09:00`, `LLM summaries in German (de)`). Only what the channel turned on; a paused
 * channel has no weekly digest.
 */
export function settingsExtras(settings: ChannelSettings): string[] {
  const extras: string[] = [];
  if (settings.weekly && !settings.paused) extras.push(`weekly top papers on ${weekdayName(settings.weekly.day)}s at ${settings.weekly.time}`);
  if (!isDefaultLanguage(settings.language)) extras.push(`LLM summaries in ${languageName(settings.language!)} (${settings.language})`);
  return extras;
}
