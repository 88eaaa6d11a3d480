import { App, type Receiver } from '@slack/bolt';
import { AnswerScheduler } from '../../src/commands/answer-scheduler.js';
import { errorMessage, UsageError } from '../../src/errors.js';
import { HealthCell } from '../../src/health.js';
import type { AdapterDeps, PlatformAdapter } from '../../src/platform.js';
import type { SlackApi } from './api.js';
import type { SlackSettings } from './settings.js';
import { slackSdkLogger } from './bolt-logger.js';
import { createSlackApi, webClientOptions, type SlackClientOptions } from './client.js';
import type { FlowDeps } from './flow-deps.js';
import { SharedServerReceiver } from './http-receiver.js';
import { ACK_DEADLINE_MS } from './limits.js';
import { registerListeners } from './listeners.js';
import { SlackPublisher } from './publisher.js';
import { RecentKeys } from '../../src/http/recent-keys.js';
import { ResponseUrlClient } from './response-url.js';
import { SocketReceiver } from './socket-receiver.js';
import { slackStartupError } from './startup-error.js';
import { TaskTracker } from './tasks.js';

export { EVENTS_PATH } from './http-receiver.js';
export { createSlackPublisher, DEFAULT_WORKSPACE_PER_MINUTE, type SlackClientOptions } from './client.js';
export { checkSlackConnection } from './check-connection.js';

export interface SlackAdapterOptions extends SlackClientOptions {
  /** A command finishing within this is answered in the ack; slower ones ack "working on it" (default 1500 ms). */
  ackBudgetMs?: number;
  /** Acknowledge empty if a listener hasn't by then (default 2500 ms, inside Slack's 3 s). */
  ackTimeoutMs?: number;
}

export interface SlackAdapter extends PlatformAdapter {
  /** `socket` when SLACK_APP_TOKEN is set, else `http` (POST /slack/events on the shared server). */
  readonly mode: 'http' | 'socket';
  readonly api: SlackApi;
  /** Resolves when every follow-up in flight (late answers, digests posted on command) is done. */
  idle(): Promise<void>;
}

const DEFAULT_ACK_BUDGET_MS = 1500;

/**
 * The Slack adapter: a Bolt App whose receiver is either our route on the shared HTTP server (added here,
 * before the server listens) or a Socket Mode connection (opened by `start()`). `start()` verifies the bot
 * token with auth.test first, through SlackApi's bounded retries, so a wrong token, a wrong SLACK_API_URL or
 * an unreachable Slack ends start-up with one line naming the setting; Bolt's own initialisation is deferred
 * to after that check.
 */
export function createSlackAdapter(deps: AdapterDeps, config: SlackSettings, options: SlackAdapterOptions = {}): SlackAdapter {
  const { logger, clock } = deps;
  const api = createSlackApi(config, logger, { ...options, shared: options.shared ?? deps.shared });
  const publisher = new SlackPublisher(api, logger);
  const tasks = new TaskTracker();
  const dispatchDeps = { recent: new RecentKeys('slack', clock, deps.shared), tasks, logger, ackTimeoutMs: options.ackTimeoutMs ?? ACK_DEADLINE_MS - 500 };

  let receiver: Receiver;
  const mode = config.SLACK_APP_TOKEN ? 'socket' : 'http';
  const health = new HealthCell('starting', `${mode} mode`);
  let socket: SocketReceiver | null = null;
  if (config.SLACK_APP_TOKEN) {
    socket = new SocketReceiver({ ...dispatchDeps, appToken: config.SLACK_APP_TOKEN, slackApiUrl: config.SLACK_API_URL });
    receiver = socket;
  } else {
    if (!config.SLACK_SIGNING_SECRET) {
      throw new UsageError('SLACK_SIGNING_SECRET is not set: HTTP mode needs it to verify requests (Basic Information → Signing Secret). Or set SLACK_APP_TOKEN for Socket Mode.');
    }
    const http = new SharedServerReceiver({ ...dispatchDeps, signingSecret: config.SLACK_SIGNING_SECRET, clock });
    deps.server.add(http.route());
    receiver = http;
  }

  const app = new App({
    token: config.SLACK_BOT_TOKEN,
    receiver,
    clientOptions: webClientOptions(config, logger, options),
    logger: slackSdkLogger(logger),
    deferInitialization: true,
    convoStore: false,
  });
  const followUps = new ResponseUrlClient(logger);
  const flows: FlowDeps = {
    api,
    publisher,
    commands: deps.commands,
    followUps,
    admins: config.SLACK_ADMIN_USER_IDS,
    logger,
    ackBudgetMs: options.ackBudgetMs ?? DEFAULT_ACK_BUDGET_MS,
    answers: new AnswerScheduler(),
  };
  registerListeners(app, flows);

  return {
    platform: 'slack',
    publisher,
    mode,
    api,
    async start() {
      try {
        const me = await api.whoAmI().catch((error: unknown) => {
          throw slackStartupError(error, 'auth.test', 'SLACK_BOT_TOKEN', config);
        });
        await app.init();
        await app.start().catch((error: unknown) => {
          throw slackStartupError(error, 'apps.connections.open', 'SLACK_APP_TOKEN', config);
        });
        socket?.onConnectionChange((state) => health.set(state, 'socket mode'));
        health.set('ready', `${mode} mode`);
        logger.info({ mode, botUserId: me.userId }, 'slack adapter ready');
      } catch (error) {
        health.set('failed', errorMessage(error));
        throw error;
      }
    },
    async stop() {
      health.set('stopped', `${mode} mode`);
      await app.stop().catch((error: unknown) => logger.warn({ err: errorMessage(error) }, 'slack: stopping the receiver failed'));
      await tasks.idle();
      await Promise.all([api.close(), followUps.close()]);
    },
    health: () => health.get(),
    idle: () => tasks.idle(),
  };
}
