/**
 * Who pays for LLM calls: a Slack workspace (team id), a Discord server (guild id), or the terminal. `id` is the
 * platform's own id, so the set of workspaces is bounded by the places the bot is installed in.
 */
export interface Workspace {
  /** A platform's name, as in channel refs. */
  platform: string;
  id: string;
}

/** The command line and the terminal preview: one local workspace. */
export const LOCAL_WORKSPACE: Workspace = { platform: 'console', id: 'local' };

/** Discord DMs and user-installed contexts have no guild: they share one workspace, so the set stays bounded. */
export const DIRECT_MESSAGES_ID = 'direct';

export function formatWorkspace(workspace: Workspace): string {
  return `${workspace.platform}:${workspace.id}`;
}
