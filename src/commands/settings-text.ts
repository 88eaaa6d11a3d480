import { weekdayName } from '../schedule/weekdays.js';
import type { ChannelSettings } from '../store/store.js';
import { isDefaultLanguage, languageName } from '../summarise/language.js';

/**
 * The parts of a channel's settings beyond the daily schedule, as short phrases every adapter shows the same way
 * (`weekly top papers on Mondays at 09:00`, `LLM summaries in German (de)`, where the daily digest comes from). Only what the channel turned on; a paused
 * channel has no weekly digest.
 */
export function settingsExtras(settings: ChannelSettings): string[] {
  const extras: string[] = [];
  if (settings.weekly && !settings.paused) extras.push(`weekly top papers on ${weekdayName(settings.weekly.day)}s at ${settings.weekly.time}`);
  if (settings.source === 'arxiv') extras.push("the daily digest from arXiv: new papers Hugging Face hasn't listed");
  if (settings.source === 'both') extras.push('the daily digest from Hugging Face, then new papers on arXiv');
  if (!isDefaultLanguage(settings.language)) extras.push(`LLM summaries in ${languageName(settings.language!)} (${settings.language})`);
  return extras;
}
