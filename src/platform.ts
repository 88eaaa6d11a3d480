import type { Platform } from './channel.js';
import type { DigestPublisher } from './delivery/publisher.js';

/** A running chat platform integration, as the composition root sees it. */
export interface PlatformAdapter {
  readonly platform: Platform;
  readonly publisher: DigestPublisher;
  /** Connects (gateway / socket mode) or mounts HTTP routes; resolves when ready to receive commands. */
  start(): Promise<void>;
  /** Stops receiving; lets in-flight posts finish or abandons them safely. */
  stop(): Promise<void>;
}
