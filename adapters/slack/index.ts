import type { PlatformDescriptor } from '../../src/platform.js';
import { SLACK_SECRETS, slackSettings, type SlackSettings } from './settings.js';

/** Slack, as the core sees it: Bolt and the Web API client load only when `load()` is called. */
export const slackPlatform: PlatformDescriptor<SlackSettings> = {
  name: 'slack',
  channelId: /^[CGD][A-Z0-9]{2,}$/,
  settings: slackSettings,
  secrets: SLACK_SECRETS,
  enabled: (settings) => Boolean(settings.SLACK_BOT_TOKEN),
  async load() {
    const slack = await import('./adapter.js');
    return {
      createAdapter: (deps, settings, options) => slack.createSlackAdapter(deps, settings, options as Parameters<typeof slack.createSlackAdapter>[2]),
      createPublisher: (settings, logger, shared) => slack.createSlackPublisher(settings, logger, { shared }),
      checkConnection: (settings, logger) => slack.checkSlackConnection(settings, logger),
    };
  },
};
