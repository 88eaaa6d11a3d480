import { handleSearch } from '../commands/search.js';
import { cliCommand, printReply } from './reply-output.js';
import { openOneShotApp } from './runtime.js';

export async function runSearchCommand(words: string[], options: { limit: number; offset: number; json: boolean }): Promise<void> {
  const app = openOneShotApp();
  try {
    const text = words.join(' ');
    const reply = await handleSearch({ ...app.commands, pageSize: options.limit }, cliCommand(text, options.offset), text, options.limit);
    printReply(reply, options.json);
  } finally {
    await app.close();
  }
}
