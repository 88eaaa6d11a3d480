import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { ArtifactSource, PaperSource } from '../papers/source.js';
import type { ChannelSettings, Store } from '../store/store.js';
import type { Lease } from '../delivery/lease.js';
import type { CommandSyntax } from './syntax.js';
import type { SummaryProvider } from '../summarise/port.js';
import type { Clock } from '../time.js';

export interface DigestDefaults {
  time: string;
  timeZone: string;
  size: number;
}

/** Everything command handlers may use; built once by the composition root. */
export interface CommandContext {
  store: Store;
  summariser: SummaryProvider;
  /** Remote source for search fallback and papers the store doesn't have yet. */
  source: Pick<PaperSource, 'searchPapers' | 'getPaper'> & ArtifactSource;
  defaults: DigestDefaults;
  clock: Clock;
  logger: Logger;
  /** Results per search page. */
  pageSize: number;
  /** Each person's commands and button presses per minute (a burst of as many, then evenly); 0 = no limit. */
  commandsPerMinute?: number;
  /** Command latency histogram (GET /metrics); optional so tests needn't care. */
  metrics?: Pick<Metrics, 'commandLatency'>;
  /** This process's owner id and delivery lease (default: the process, 30 s). */
  lease?: Lease;
  /** How usage hints spell a command (default: chat's `/papers …`). */
  syntax?: CommandSyntax;
  /** ARXIV_CATEGORIES: a channel may ask for arXiv papers in its digest only when they are set. */
  arxivCategories?: readonly string[];
  /** Told when a channel's schedule changes, so the scheduler can rebuild its jobs. */
  onSettingsChanged?: (settings: ChannelSettings) => void;
}
