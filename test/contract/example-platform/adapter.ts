import type { ChannelRef } from '../../../src/channel.js';
import { decodeButton, paperButtonValue } from '../../../src/commands/buttons.js';
import type { Command, PaperCard, Reply } from '../../../src/commands/command.js';
import { runPlan } from '../../../src/commands/handle-command.js';
import { planCommand } from '../../../src/commands/plan-command.js';
import type { ChannelPublisher, PostedMessage } from '../../../src/delivery/publisher.js';
import type { Digest, DigestItem } from '../../../src/digest/digest.js';
import { PaperboyError } from '../../../src/errors.js';
import type { AdapterDeps, PlatformAdapter } from '../../../src/platform.js';
import type { Summary } from '../../../src/summarise/summary.js';
import { followUpdateText, type FollowUpdate } from '../../../src/follow/follow-update.js';
import { ChatServer } from './chat-server.js';
import type { ExampleSettings } from './index.js';

/** Example Chat pings on `@room`: a zero-width space after every `@` keeps third-party text from doing so. */
const safe = (text: string, max = 300) => text.replace(/@/g, '@\u200b').replace(/\s+/g, ' ').trim().slice(0, max);
const paperLine = (card: Pick<PaperCard, 'paper' | 'links'>) => `${safe(card.paper.title, 200) || card.paper.id} ${card.links.huggingFace} [${paperButtonValue('summarise', card.paper.id)}]`;

export function serverFor(settings: ExampleSettings): ChatServer | undefined {
  return settings.EXAMPLE_TOKEN ? ChatServer.byToken.get(settings.EXAMPLE_TOKEN) : undefined;
}

class ExamplePublisher implements ChannelPublisher {
  readonly platform = 'example';
  constructor(private readonly server: ChatServer) {}

  /** One Example Chat server is one workspace. */
  async workspaceOf() {
    return { platform: 'example', id: 'server' };
  }

  private post(channel: ChannelRef, text: string, thread: string | null = null): PostedMessage {
    try {
      return { id: this.server.post(channel.id, text, thread).id, threadId: null };
    } catch (error) {
      if ((error as { code?: string }).code === 'no_room') throw new PaperboyError('channel_unavailable', `example: no room ${channel.id}`, { userMessage: 'paperboy cannot post in this room any more.' });
      throw error;
    }
  }

  async postParent(channel: ChannelRef, digest: Digest) {
    return this.post(channel, `${safe(digest.title)} (${digest.key})`);
  }
  async postItem(channel: ChannelRef, parent: PostedMessage, item: DigestItem) {
    return this.post(channel, `${item.rank}. ${paperLine(item)}`, parent.id);
  }
  async updateParent(_channel: ChannelRef, parent: PostedMessage, digest: Digest) {
    this.server.edit(parent.id, `${safe(digest.title)} (${digest.key})`);
  }
  async postNotice(channel: ChannelRef, text: string) {
    return this.post(channel, safe(text, 900));
  }
  async postGroup(channel: ChannelRef, parent: PostedMessage, heading: string, items: DigestItem[]) {
    return this.post(channel, `${safe(heading)}: ${items.map((item) => item.paper.id).join(', ')}`, parent.id);
  }
  async postSummary(channel: ChannelRef, threadId: string | null, card: PaperCard, summary: Summary) {
    return this.post(channel, `Summary of ${paperLine(card)}: ${safe(summary.tldr, 500)}`, threadId);
  }
  async postFollowUpdate(channel: ChannelRef, replyTo: PostedMessage | null, update: FollowUpdate) {
    return this.post(channel, `Update on ${paperLine(update)}: ${safe(followUpdateText(update), 600)}`, replyTo?.id ?? null);
  }
  async findSummary(channel: ChannelRef, threadId: string | null, paperId: string) {
    const found = this.server.messages.find((m) => m.room === channel.id && m.thread === threadId && m.text.startsWith('Summary of ') && m.text.includes(`[sum:${paperId}]`));
    return found ? { id: found.id, threadId } : null;
  }
  async messageLink(channel: ChannelRef, message: PostedMessage) {
    return `https://chat.example/${channel.id}/${message.id}`;
  }
  async findParent(channel: ChannelRef, digest: Digest) {
    const found = this.server.messages.find((m) => m.room === channel.id && m.thread === null && m.text.endsWith(`(${digest.key})`));
    return found ? { id: found.id, threadId: null } : null;
  }
  async findPostedItems(channel: ChannelRef, parent: PostedMessage, _digest: Digest, paperIds: string[]) {
    const found = new Map<string, string>();
    for (const m of this.server.messages) {
      const id = /\[sum:([^\]]+)\]/.exec(m.text)?.[1];
      if (m.room === channel.id && m.thread === parent.id && id && paperIds.includes(id) && !found.has(id)) found.set(id, m.id);
    }
    return found;
  }
}

export function createExamplePublisher(settings: ExampleSettings): ChannelPublisher {
  const server = serverFor(settings);
  if (!server) throw new PaperboyError('example_unknown_server', 'EXAMPLE_TOKEN is not a known Example Chat server');
  return new ExamplePublisher(server);
}

/** An Example Chat request: a typed command, or a pressed button on a message. */
export type ExampleRequest = { room: string; user: string } & ({ text: string } | { button: string; thread: string | null; private: boolean });

export interface ExampleAdapter extends PlatformAdapter {
  /** What the platform would deliver to a webhook: translated into a Command, answered with plain text. */
  receive(request: ExampleRequest): Promise<string>;
}

export function createExampleAdapter(deps: AdapterDeps, settings: ExampleSettings): ExampleAdapter {
  const publisher = createExamplePublisher(settings);
  return {
    platform: 'example',
    publisher,
    start: async () => undefined,
    stop: async () => undefined,
    health: () => ({ state: 'ready' }),
    async receive(request) {
      const input: Command['input'] = 'text' in request ? { kind: 'text', text: request.text } : { kind: 'button', button: decodeButton(request.button, 200), place: { threadId: request.thread, privateMessage: request.private } };
      const command: Command = { platform: 'example', channel: { platform: 'example', id: request.room }, userId: request.user, workspace: { platform: 'example', id: 'server' }, canAdminister: true, input };
      return render(await runPlan(deps.commands, command, await planCommand(deps.commands, command, publisher)));
    },
  };
}

function render(reply: Reply): string {
  switch (reply.type) {
    case 'message':
      return safe(reply.text, 900) + (reply.link ? ` ${reply.link.url}` : '');
    case 'papers':
      return reply.cards.map(paperLine).join('\n');
    case 'summary':
      return `${paperLine(reply.card)}: ${safe(reply.summary.tldr, 500)}`;
    case 'abstract':
      return `${paperLine(reply.card)}: ${safe(reply.card.paper.abstract, 600)}`;
    default:
      return reply.type;
  }
}
