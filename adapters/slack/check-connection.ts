import type { SlackSettings } from './settings.js';
import type { ComponentHealth } from '../../src/health.js';
import type { Logger } from '../../src/logger.js';
import { createSlackApi } from './client.js';
import { slackStartupError } from './startup-error.js';

/**
 * `paperboy doctor`'s Slack line: auth.test with the bot token and, in Socket Mode, apps.connections.open
 * with the app token (it only issues a WebSocket URL; nothing connects to it). Each failure names its setting.
 */
export async function checkSlackConnection(config: SlackSettings, logger: Logger): Promise<ComponentHealth> {
  const api = createSlackApi(config, logger);
  let identity: { userId: string; teamId: string | null };
  try {
    const raw = (await api.call('auth.test', {}, null)) as { user_id?: string; team_id?: string };
    identity = { userId: String(raw.user_id ?? '?'), teamId: raw.team_id ?? null };
  } catch (error) {
    return { state: 'failed', detail: slackStartupError(error, 'auth.test', 'SLACK_BOT_TOKEN', config).message };
  }
  if (config.SLACK_APP_TOKEN) {
    try {
      await api.call('apps.connections.open', { token: config.SLACK_APP_TOKEN }, null);
    } catch (error) {
      return { state: 'failed', detail: slackStartupError(error, 'apps.connections.open', 'SLACK_APP_TOKEN', config).message };
    }
  }
  const mode = config.SLACK_APP_TOKEN ? 'Socket Mode' : 'HTTP mode (POST /slack/events)';
  if (!config.SLACK_APP_TOKEN && !config.SLACK_SIGNING_SECRET) return { state: 'failed', detail: 'SLACK_SIGNING_SECRET is not set: HTTP mode needs it (or set SLACK_APP_TOKEN for Socket Mode)' };
  return { state: 'ready', detail: `bot ${safeId(identity.userId)}${identity.teamId ? ` in workspace ${safeId(identity.teamId)}` : ''}, ${mode}` };
}

function safeId(id: string): string {
  return id.replace(/[^A-Za-z0-9]/g, '').slice(0, 20);
}
