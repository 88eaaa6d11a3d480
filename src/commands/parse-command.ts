export const VERBS = ['search', 'subscribe', 'unsubscribe', 'subscriptions', 'follow', 'unfollow', 'following', 'summary', 'digest', 'settings', 'help'] as const;
export type Verb = (typeof VERBS)[number];

export interface ParsedCommand {
  verb: Verb;
  /** Everything after the verb, trimmed. */
  args: string;
}

/** `/papers <text>`: a leading known verb selects the command; anything else is a search. Empty text is help. */
export function parseCommandText(text: string): ParsedCommand {
  const trimmed = text.trim();
  if (trimmed === '') return { verb: 'help', args: '' };
  const match = /^(\S+)\s*([\s\S]*)$/.exec(trimmed)!;
  const word = match[1]!.toLowerCase();
  const verb = VERBS.find((v) => v === word) ?? (word === 'subs' ? 'subscriptions' : word === 'summarize' ? 'summary' : undefined);
  if (verb) return { verb, args: match[2]!.trim() };
  return { verb: 'search', args: trimmed };
}
