import type { App } from '../app.js';
import type { ChannelRef } from '../channel.js';
import type { DigestPublisher } from '../delivery/publisher.js';
import { EXIT, ExitError } from './runtime.js';

/** The publisher for `digest --channel`: the platform's adapter, if it is configured. */
export async function publisherForChannel(app: App, channel: ChannelRef): Promise<DigestPublisher> {
  throw new ExitError(EXIT.usage, `${channel.platform} is not configured; set its token in .env (see README).`);
}
