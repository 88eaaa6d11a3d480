import type { Lease } from '../delivery/lease.js';
import type { ChannelPublisher } from '../delivery/publisher.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { Store } from '../store/store.js';
import type { SummaryProvider } from '../summarise/port.js';
import type { Clock } from '../time.js';

export interface ScheduleDeps {
  store: Store;
  summariser: SummaryProvider;
  publishers: ReadonlyMap<string, ChannelPublisher>;
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
  /** This process's owner id and delivery lease (default: the process, 30 s). */
  lease?: Lease;
  /** ARXIV_CATEGORIES: without them every channel's digest is Hugging Face's, whatever its `source`. */
  arxivCategories?: readonly string[];
}
