import type { ChannelRef } from '../../src/channel.js';
import type { Digest, DigestItem } from '../../src/digest/digest.js';
import type { ChannelPublisher, PostedMessage } from '../../src/delivery/publisher.js';
import type { PaperCard } from '../../src/commands/command.js';
import type { Summary } from '../../src/summarise/summary.js';
import { followUpdateText, type FollowUpdate } from '../../src/follow/follow-update.js';
import { LOCAL_WORKSPACE, type Workspace } from '../../src/workspace.js';
import { renderDigestHeader, renderDigestItem, renderSummary } from './render.js';
import { terminalSafe, type Style } from './style.js';

/** The console "platform": a digest is a header and one block per paper, written to a stream. */
export class ConsolePublisher implements ChannelPublisher {
  readonly platform = 'console' as const;
  private counter = 0;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly style: Style,
  ) {}

  async workspaceOf(): Promise<Workspace> {
    return LOCAL_WORKSPACE;
  }

  async postParent(_channel: ChannelRef, digest: Digest): Promise<PostedMessage> {
    this.out.write(`\n${renderDigestHeader(digest, this.style)}\n\n`);
    return { id: this.nextId(), threadId: null };
  }

  async postItem(_channel: ChannelRef, _parent: PostedMessage, item: DigestItem): Promise<PostedMessage> {
    this.out.write(`${renderDigestItem(item, this.style)}\n\n`);
    return { id: this.nextId(), threadId: null };
  }

  async updateParent(): Promise<void> {
    // A terminal can't edit what it printed; the next digest shows fresh counts.
  }

  async postNotice(_channel: ChannelRef, text: string): Promise<PostedMessage> {
    this.out.write(`${terminalSafe(text)}\n`);
    return { id: this.nextId(), threadId: null };
  }

  async postSummary(_channel: ChannelRef, _threadId: string | null, card: PaperCard, summary: Summary): Promise<PostedMessage> {
    this.out.write(`${renderSummary(card, summary, this.style)}\n\n`);
    return { id: this.nextId(), threadId: null };
  }

  async postFollowUpdate(_channel: ChannelRef, _replyTo: unknown, update: FollowUpdate): Promise<PostedMessage> {
    this.out.write(`${this.style.bold(terminalSafe(update.paper.title))}\n${terminalSafe(followUpdateText(update))}\n\n`);
    return { id: this.nextId(), threadId: null };
  }

  /** Nothing printed can be read back. */
  async findSummary(): Promise<PostedMessage | null> {
    return null;
  }

  /** Nothing printed has an address. */
  async messageLink(): Promise<string | null> {
    return null;
  }

  async postGroup(_channel: ChannelRef, _parent: PostedMessage, heading: string, items: DigestItem[]): Promise<PostedMessage> {
    this.out.write(`${this.style.bold(terminalSafe(heading))}\n\n${items.map((item) => renderDigestItem(item, this.style)).join('\n\n')}\n\n`);
    return { id: this.nextId(), threadId: null };
  }

  /** Nothing printed can be read back; the console never resumes a delivery. */
  async findParent(): Promise<PostedMessage | null> {
    return null;
  }

  async findPostedItems(): Promise<Map<string, string>> {
    return new Map();
  }

  private nextId(): string {
    return `console-${++this.counter}`;
  }
}
