import type { DiscussedPaper } from '../delivery/earlier-post.js';
import type { Paper, PaperLinks } from '../papers/paper.js';
import type { DigestSource } from './digest-source.js';
import type { Summary } from '../summarise/summary.js';

export interface DigestItem {
  /** 1-based position in the digest (HF's order for daily digests). */
  rank: number;
  paper: Paper;
  links: PaperLinks;
  summary: Summary;
  /** For subscription alerts: the subscription query that matched. */
  matchedSubscription?: string;
}

/**
 * A platform-neutral batch of papers to post as one parent message with one threaded reply per item.
 * `key` identifies it in the delivery ledger: `daily:2026-05-18`, `weekly:2026-W21`, `alert:2026-05-18T09`, …
 */
export interface Digest {
  kind: 'daily' | 'alert' | 'late' | 'weekly';
  key: string;
  /** HF day the digest is about (YYYY-MM-DD); a weekly digest's last day. */
  day: string;
  /** Weekly digests: the HF days covered (inclusive) and their ISO week (`2026-W48`, the week of `to`). */
  week?: { from: string; to: string; isoWeek: string };
  title: string;
  items: DigestItem[];
  /** Papers of the day left out because this channel already received them (and not listed in `discussed`). */
  alreadyReceived: number;
  /** Where a daily digest's papers come from; absent: Hugging Face. */
  source?: DigestSource;
  /**
   * Papers this digest would have carried that the channel already got: listed in the parent with a link to where
   * they were first posted, never posted again. The ledger records them under the parent's message.
   */
  discussed?: DiscussedPaper[];
}

/** Every paper id the delivery records, in posting order: the papers posted, then those only pointed to. */
export function digestPaperIds(digest: Digest): string[] {
  return [...digest.items.map((item) => item.paper.id), ...(digest.discussed ?? []).map((entry) => entry.paper.id)];
}
