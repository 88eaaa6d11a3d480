import type { Paper } from '../../src/papers/paper.js';
import { makePaper } from '../../test/support/papers.js';
import { createRng, intBetween, pick } from './rng.js';

/** Deterministic papers shaped like HF's (titles of 5–12 words, 2–30 authors, half with code). */
export function benchPapers(count: number): Paper[] {
  const rng = createRng(42);
  const words = ['sparse', 'attention', 'diffusion', 'grokking', 'scaling', 'agents', 'reasoning', 'retrieval', 'vision', 'language', 'models', 'efficient', 'long-context', 'alignment'];
  const phrase = (n: number) => Array.from({ length: n }, () => pick(rng, words)).join(' ');
  return Array.from({ length: count }, (_, i) =>
    makePaper({
      id: `2605.${String(15000 + i).padStart(5, '0')}`,
      title: `${phrase(intBetween(rng, 5, 12))} ${i}`,
      abstract: `${phrase(40)}. `.repeat(6),
      aiSummary: `${phrase(25)}.`,
      authors: Array.from({ length: intBetween(rng, 2, 30) }, (_, j) => `Author ${i}-${j}`),
      upvotes: 200 - i,
      githubRepo: i % 2 ? `https://github.com/lab/repo-${i}` : null,
      githubStars: i % 2 ? 100 * i : null,
    }),
  );
}
