import { MAX_COMMAND_LENGTH } from '../../src/commands/handle-command.js';

export const COMMAND_NAME = 'papers';

/**
 * `/papers` with one required string option `query` holding the same text Slack's `/papers <text>` gets
 * (DESIGN §5), so `/papers grokking` works as people expect. Usable in servers and in the bot's DMs.
 */
export const PAPERS_COMMAND = {
  name: COMMAND_NAME,
  type: 1,
  description: 'Trending ML papers: search, subscribe this channel, follow a paper, summaries, digests',
  options: [
    {
      type: 3,
      name: 'query',
      description: 'A search (grokking, "exact phrase", -word, author:"Name") or subscribe …, summary …, digest, help',
      required: true,
      autocomplete: true,
      max_length: MAX_COMMAND_LENGTH,
    },
  ],
  contexts: [0, 1],
  integration_types: [0],
} as const;
