import { CONSOLE_CHANNEL } from '../channel.js';
import { handleSummary } from '../commands/summary.js';
import { printReply } from './reply-output.js';
import { openOneShotApp } from './runtime.js';
import { LOCAL_WORKSPACE } from '../workspace.js';

export async function runSummaryCommand(paper: string, options: { json: boolean }): Promise<void> {
  const app = openOneShotApp();
  try {
    printReply(await handleSummary(app.commands, CONSOLE_CHANNEL, paper, LOCAL_WORKSPACE), options.json);
  } finally {
    await app.close();
  }
}
