import { renderReply } from '../../adapters/console/render.js';
import { styleFor } from '../../adapters/console/style.js';
import type { Reply } from '../commands/command.js';
import { EXIT, ExitError } from './exit.js';
import { writeJson } from './runtime.js';

/** Prints a reply (text or --json); an error reply ends the process with exit 2 (bad input) or 1. */
export function printReply(reply: Reply, json: boolean): void {
  if (reply.type === 'message' && reply.tone === 'error') {
    throw new ExitError(reply.reason === 'usage' ? EXIT.usage : EXIT.failure, reply.text);
  }
  if (json) writeJson(reply);
  else process.stdout.write(`${renderReply(reply, styleFor(process.stdout))}\n`);
}
