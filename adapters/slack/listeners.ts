import type { App, RespondArguments } from '@slack/bolt';
import { errorMessage } from '../../src/errors.js';
import { runBlockAction } from './button-flow.js';
import { runSlashCommand } from './command-flow.js';
import type { FlowDeps } from './flow-deps.js';

/**
 * The Bolt listeners: every slash command of this app is `/papers` (whatever a workspace named it), every
 * block action one of our buttons. Bodies are handed over unvalidated; the flows validate them with zod.
 * Events need no listener (Bolt acknowledges them).
 */
export function registerListeners(app: App, deps: FlowDeps): void {
  app.command(/.*/, async ({ body, ack }) => runSlashCommand(deps, body, (response) => ack(response as RespondArguments | undefined)));
  app.action(/.*/, async ({ body, ack }) => runBlockAction(deps, body, () => ack()));
  app.error(async (error) => {
    deps.logger.error({ err: errorMessage(error) }, 'slack: listener failed');
  });
}
