import { handleSearch } from '../commands/search.js';
import { printReply } from './reply-output.js';
import { openOneShotApp } from './runtime.js';

export async function runSearchCommand(words: string[], options: { limit: number; offset: number; json: boolean }): Promise<void> {
  const app = openOneShotApp();
  try {
    printReply(await handleSearch(app.commands, words.join(' '), { limit: options.limit, offset: options.offset }), options.json);
  } finally {
    await app.close();
  }
}
