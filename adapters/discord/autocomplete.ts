import type { CommandContext } from '../../src/commands/context.js';
import { parseCommandText } from '../../src/commands/parse-command.js';
import { parseQuery } from '../../src/search/parse.js';
import { localDate } from '../../src/time.js';
import { plain } from './escape.js';
import { DISCORD_LIMITS as L } from './limits.js';

export interface Choice {
  name: string;
  value: string;
}

const VERB_HINTS: Choice[] = [
  { name: 'help — how to use /papers', value: 'help' },
  { name: 'digest — post the latest trending papers here', value: 'digest' },
  { name: 'subscribe <query> — new matching papers in this channel', value: 'subscribe ' },
  { name: 'subscriptions — list this channel’s subscriptions', value: 'subscriptions' },
  { name: 'summary <arXiv id> — summarise one paper', value: 'summary ' },
  { name: 'follow <arXiv id> — a reply when its code, models or datasets appear', value: 'follow ' },
  { name: 'following — list the papers this channel follows', value: 'following' },
  { name: 'settings — this channel’s daily digest', value: 'settings' },
  { name: 'settings weekly mon 09:00 — the week’s top papers too', value: 'settings weekly ' },
  { name: 'settings lang de — summaries in another language', value: 'settings lang ' },
  { name: 'settings source both — new arXiv papers in the digest too', value: 'settings source ' },
];

const SUGGESTED_TITLES = 5;

/**
 * Suggestions while typing `/papers …`, from the local store only (no network, a few milliseconds): verbs while
 * the first word is incomplete, matching titles for a search or subscription, `summary <id>` / `follow <id>` for one paper.
 * What the person typed always comes first, so suggestions never get in the way of submitting it.
 */
export async function autocompleteChoices(ctx: CommandContext, typed: string): Promise<Choice[]> {
  const text = typed.trim();
  const choices: Choice[] = text ? [choice(text, text)] : [];
  if (!text.includes(' ')) choices.push(...VERB_HINTS.filter((hint) => hint.value.startsWith(text.toLowerCase()) && hint.value.trim() !== text));

  const { verb, args } = parseCommandText(text);
  if (text === '') {
    const day = await ctx.store.latestDayWithPapers(localDate(ctx.clock(), ctx.defaults.timeZone));
    const listings = day ? await ctx.store.listingsForDay(day, SUGGESTED_TITLES) : [];
    choices.push(...listings.map((listing) => choice(listing.paper.title, listing.paper.title)));
  } else if ((verb === 'search' || verb === 'subscribe' || verb === 'summary' || verb === 'follow') && args.length >= 2) {
    const parsed = parseQuery(args);
    if (parsed.ok) {
      const hits = await ctx.store.searchPapers(parsed.query, { limit: SUGGESTED_TITLES, offset: 0, now: ctx.clock() });
      for (const { paper } of hits) {
        if (verb === 'summary' || verb === 'follow') choices.push(choice(`${verb} ${paper.id} — ${paper.title}`, `${verb} ${paper.id}`));
        else choices.push(choice(paper.title, verb === 'subscribe' ? `subscribe ${paper.title}` : paper.title));
      }
    }
  }
  return dedupe(choices).slice(0, L.autocompleteChoices);
}

function choice(name: string, value: string): Choice {
  return { name: plain(name, L.autocompleteChoice) || '…', value: cut(value, L.autocompleteChoice) };
}

/** At most `max` UTF-16 units, never splitting a surrogate pair. */
function cut(text: string, max: number): string {
  let out = '';
  for (const point of text) {
    if (out.length + point.length > max) break;
    out += point;
  }
  return out;
}

function dedupe(choices: Choice[]): Choice[] {
  const seen = new Set<string>();
  return choices.filter((c) => c.value.trim() !== '' && !seen.has(c.value) && seen.add(c.value));
}
