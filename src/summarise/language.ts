import type { Summary } from './summary.js';

/**
 * Summary languages: BCP-47 tags (`de`, `ja`, `pt-BR`, `zh-Hant`) or their English names (`German`), checked
 * against the runtime's ICU data. Only a language with an optional script and region: what a summary can be
 * written in, not a collation or calendar.
 */

/** Summaries are English unless a channel asks otherwise; the prompt's own language. */
export const DEFAULT_LANGUAGE = 'en';

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
const TAG = /^([a-z]{2,3})(?:-([a-z]{4}))?(?:-([a-z]{2}|\d{3}))?$/i;
/** ICU names these, but they are no language to write in. */
const NOT_WRITTEN = new Set(['und', 'zxx', 'mul', 'mis']);
/** Tags whose English names people type (`Brazilian Portuguese`), besides the plain two-letter languages. */
const NAMED_VARIANTS = ['pt-BR', 'pt-PT', 'zh-Hans', 'zh-Hant', 'es-419', 'es-MX', 'en-GB', 'en-US', 'fr-CA', 'de-AT', 'de-CH', 'nl-BE'];

let byName: Map<string, string> | null = null;

/** The canonical tag for a tag or an English language name, or null when it is no known language. */
export function parseLanguage(text: string): string | null {
  const word = text.trim();
  if (word.length === 0 || word.length > 40) return null;
  return canonicalTag(word) ?? namesToTags().get(word.toLowerCase()) ?? null;
}

/** The language's English name (`German`, `Brazilian Portuguese`), for prompts and replies. */
export function languageName(tag: string): string {
  return languageNames.of(tag) ?? tag;
}

/**
 * For a fallback summary a channel wanted in another language: `in English, not German` (no LLM wrote it, so no
 * reply may look translated); empty otherwise.
 */
export function untranslatedNote(summary: Pick<Summary, 'untranslated'>): string {
  return summary.untranslated ? `in English, not ${languageName(summary.untranslated)}` : '';
}

export function isDefaultLanguage(tag: string | null | undefined): boolean {
  return !tag || tag === DEFAULT_LANGUAGE;
}

function canonicalTag(text: string): string | null {
  const match = TAG.exec(text);
  if (!match) return null;
  let tag: string;
  try {
    tag = Intl.getCanonicalLocales(text)[0]!;
  } catch {
    return null;
  }
  const [, language, , region] = match;
  if (NOT_WRITTEN.has(language!.toLowerCase()) || !languageNames.of(language!.toLowerCase())) return null;
  // ZZ is ICU's "Unknown Region": valid syntax, no place.
  if (region && (!regionNames.of(region.toUpperCase()) || region.toUpperCase() === 'ZZ')) return null;
  return languageNames.of(tag) ? tag : null;
}

/** Built on first use: every two-letter language ICU names, and the common variants. */
function namesToTags(): Map<string, string> {
  if (byName) return byName;
  byName = new Map();
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (const a of letters) {
    for (const b of letters) {
      const name = languageNames.of(a + b);
      if (name && !byName.has(name.toLowerCase())) byName.set(name.toLowerCase(), a + b);
    }
  }
  for (const tag of NAMED_VARIANTS) {
    const name = languageNames.of(tag);
    if (name) byName.set(name.toLowerCase(), tag);
  }
  return byName;
}
