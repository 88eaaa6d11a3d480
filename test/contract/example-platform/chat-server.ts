/**
 * "Example Chat", the made-up platform of the example adapter: rooms of messages with threads, in memory. It keeps
 * the rules a real platform would enforce, so the contract suite means something for it too: a message is at
 * most 1,000 characters, `@room` in a message pings everyone, and a deleted room refuses posts.
 */
export interface ChatMessage {
  id: string;
  room: string;
  thread: string | null;
  text: string;
}

export class ChatServer {
  readonly messages: ChatMessage[] = [];
  readonly refused: string[] = [];
  private readonly deleted = new Set<string>();
  private next = 0;

  post(room: string, text: string, thread: string | null = null): ChatMessage {
    if (this.deleted.has(room)) throw Object.assign(new Error(`no room ${room}`), { code: 'no_room' });
    if (text.length === 0 || text.length > 1000) {
      this.refused.push(`${room}: message of ${text.length} characters`);
      throw Object.assign(new Error('message_too_long'), { code: 'bad_message' });
    }
    const message = { id: `m${++this.next}`, room, thread, text };
    this.messages.push(message);
    return message;
  }

  edit(id: string, text: string): void {
    const message = this.messages.find((m) => m.id === id);
    if (message) message.text = text;
  }

  deleteRoom(room: string): void {
    this.deleted.add(room);
  }

  /** Servers by bot token: what the adapter's EXAMPLE_TOKEN connects to. */
  static readonly byToken = new Map<string, ChatServer>();
}
