import type { DiscordSettings } from './settings.js';
import type { ComponentHealth } from '../../src/health.js';
import { DiscordApi } from './api.js';
import { createDiscordRest } from './client.js';
import { discordStartupError } from './startup-error.js';

/** `paperboy doctor`'s Discord line: the token's application, checked against DISCORD_APPLICATION_ID. */
export async function checkDiscordConnection(config: DiscordSettings): Promise<ComponentHealth> {
  const rest = createDiscordRest(config);
  try {
    const application = await new DiscordApi(rest).application();
    if (config.DISCORD_APPLICATION_ID && application.id !== config.DISCORD_APPLICATION_ID) {
      return { state: 'failed', detail: `DISCORD_APPLICATION_ID=${config.DISCORD_APPLICATION_ID} is not the application of DISCORD_TOKEN (${application.id})` };
    }
    const mode = config.DISCORD_PUBLIC_KEY ? 'HTTP interactions (POST /discord/interactions)' : 'gateway';
    const missing = config.DISCORD_APPLICATION_ID ? '' : '; set DISCORD_APPLICATION_ID for register-commands and follow-ups';
    return { state: 'ready', detail: `application ${application.id}, ${mode}${missing}` };
  } catch (error) {
    return { state: 'failed', detail: discordStartupError(error, 'GET /applications/@me', config).message };
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}
