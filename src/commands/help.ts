import type { HelpEntry, Reply } from './command.js';

export const HELP_ENTRIES: HelpEntry[] = [
  { usage: '/papers <query>', description: 'Search papers: words are ANDed; "exact phrase", a OR b, -exclude, author:"Name".' },
  { usage: '/papers subscribe <query>', description: 'Post new papers matching the query to this channel.' },
  { usage: '/papers unsubscribe <id | query | all>', description: 'Stop a subscription.' },
  { usage: '/papers subscriptions', description: "List this channel's subscriptions." },
  { usage: '/papers follow <arXiv id or URL>', description: "Reply in the paper's thread when its code, models or datasets appear on Hugging Face (watched 90 days)." },
  { usage: '/papers unfollow <arXiv id | all>', description: 'Stop following a paper.' },
  { usage: '/papers following', description: 'List the papers this channel follows.' },
  { usage: '/papers summary <arXiv id or URL>', description: 'Summarise one paper.' },
  { usage: '/papers digest [YYYY-MM-DD]', description: "Post a day's trending papers here now." },
  { usage: '/papers settings [time HH:MM] [tz Area/City] [size N] [off | on]', description: "Show or change this channel's daily digest." },
  { usage: '/papers settings source hf | arxiv | both', description: "Where this channel's daily digest comes from: Hugging Face's trending list (default), new arXiv papers HF hasn't listed, or both (arXiv needs ARXIV_CATEGORIES)." },
  { usage: '/papers settings lang <de | ja | pt-BR | German …> | lang off', description: "The language of this channel's LLM summaries (English without an LLM)." },
  { usage: '/papers settings weekly <mon..sun> <HH:MM> | weekly off', description: "A weekly digest too: the week's top papers by upvotes, on that day and time in the channel's time zone." },
  { usage: '/papers help', description: 'This message.' },
];

export function helpReply(): Reply {
  return { type: 'help', visibility: 'private', entries: HELP_ENTRIES };
}
