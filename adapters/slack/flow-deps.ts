import type { AnswerScheduler } from '../../src/commands/answer-scheduler.js';
import type { CommandContext } from '../../src/commands/context.js';
import type { Logger } from '../../src/logger.js';
import type { Workspace } from '../../src/workspace.js';
import type { SlackApi } from './api.js';
import type { SlackPublisher } from './publisher.js';
import type { ReplyMessage, SlackMessage } from './render.js';
import type { ResponseUrlClient } from './response-url.js';

/** What the command and button flows share. */
export interface FlowDeps {
  api: SlackApi;
  publisher: SlackPublisher;
  commands: CommandContext;
  followUps: ResponseUrlClient;
  /** SLACK_ADMIN_USER_IDS; unset means everyone may change a channel. */
  admins: string[] | undefined;
  logger: Logger;
  /** A command answering within this goes in the ack; a slower one acks "working on it" and follows up. */
  ackBudgetMs: number;
  /** Which commands are answered in their ack and which after it (a burst), and when. */
  answers: AnswerScheduler;
}

/** The acknowledgement a listener sends (the HTTP response or socket ack); called once. */
export type Ack = (response?: Record<string, unknown>) => Promise<void>;

/** Tells the person who pressed a button something only they see. */
export type Tell = (message: SlackMessage) => Promise<void>;

export function canAdminister(admins: string[] | undefined, userId: string): boolean {
  return !admins || admins.length === 0 || admins.includes(userId);
}

/** The workspace a request came from, as the signed payload says; else the bot token's own (auth.test). */
export async function requestWorkspace(deps: FlowDeps, teamId: string | undefined): Promise<Workspace> {
  return teamId ? { platform: 'slack', id: teamId } : deps.publisher.workspaceOf();
}

/** A slash command's immediate answer body: ephemeral or in_channel, with blocks and fallback text. */
export function ackBody(message: ReplyMessage): Record<string, unknown> {
  return { response_type: message.responseType, text: message.text, blocks: message.blocks };
}
