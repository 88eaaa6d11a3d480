import type { Paper } from '../papers/paper.js';
import { byScore, keySentences, scoreSentences, splitSentences, topInOrder } from './extractive.js';
import { SUMMARY_LIMITS } from './output.js';
import type { Summary } from './summary.js';
import { cleanText, cutText } from './text.js';

const KEY_POINTS = 3;

/**
 * The summary we can always give without an LLM: HF's `ai_summary` as the TL;DR with key sentences of the
 * abstract as points (source `hf`), else the best sentence of the abstract as the TL;DR and the next best as
 * points (source `abstract`). Never throws.
 */
export function fallbackSummary(paper: Paper): Summary {
  const title = cleanText(paper.title);
  const abstract = cleanText(paper.abstract);
  const aiSummary = cleanText(paper.aiSummary ?? '');
  const point = (text: string) => cutText(text, SUMMARY_LIMITS.keyPoint);

  if (aiSummary) {
    return {
      tldr: cutText(aiSummary, SUMMARY_LIMITS.tldr),
      keyPoints: keySentences(abstract, title, KEY_POINTS).map(point),
      whyItMatters: null,
      source: 'hf',
      model: null,
    };
  }

  const sentences = splitSentences(abstract);
  if (sentences.length === 0) {
    return { tldr: cutText(title || paper.id, SUMMARY_LIMITS.tldr), keyPoints: [], whyItMatters: null, source: 'abstract', model: null };
  }
  const [best, ...rest] = byScore(scoreSentences(sentences, title));
  return {
    tldr: cutText(best!.text, SUMMARY_LIMITS.tldr),
    keyPoints: topInOrder(rest, KEY_POINTS).map((sentence) => point(sentence.text)),
    whyItMatters: null,
    source: 'abstract',
    model: null,
  };
}
