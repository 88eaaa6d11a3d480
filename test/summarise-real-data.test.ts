/**
 * Optional: the extractive fallback over the real papers in ../shared/data (skipped when it is absent).
 * Nothing is copied into the project; this only checks the splitter and fallback hold up on real abstracts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Paper } from '../src/papers/paper.js';
import { splitSentences } from '../src/summarise/extractive.js';
import { fallbackSummary } from '../src/summarise/fallback.js';
import { SUMMARY_LIMITS } from '../src/summarise/output.js';

const DATA = fileURLToPath(new URL('../../shared/data/hf-daily/papers.jsonl', import.meta.url));

interface RawPaper {
  id: string;
  title: string;
  summary?: string;
  authors?: { name: string }[];
  ai_summary?: string;
}

function toPaper(raw: RawPaper): Paper {
  return {
    id: raw.id,
    title: raw.title,
    abstract: raw.summary ?? '',
    authors: (raw.authors ?? []).map((a) => a.name),
    publishedAt: null,
    upvotes: 0,
    comments: 0,
    githubRepo: null,
    githubStars: null,
    projectPage: null,
    aiSummary: raw.ai_summary ?? null,
    aiKeywords: [],
    organization: null,
    thumbnail: null,
  };
}

describe.skipIf(!existsSync(DATA))('extractive fallback on real HF papers', () => {
  const papers = existsSync(DATA)
    ? readFileSync(DATA, 'utf8').trim().split('\n').map((line) => toPaper(JSON.parse(line) as RawPaper))
    : [];

  it('never fails and stays within the limits', () => {
    const problems: string[] = [];
    for (const paper of papers) {
      for (const variant of [paper, { ...paper, aiSummary: null }]) {
        const { tldr, keyPoints } = fallbackSummary(variant);
        if (tldr.length === 0 || tldr.length > SUMMARY_LIMITS.tldr) problems.push(`${paper.id}: tldr length ${tldr.length}`);
        if (keyPoints.length > 3) problems.push(`${paper.id}: ${keyPoints.length} points`);
        if (keyPoints.some((point) => point.length > SUMMARY_LIMITS.keyPoint)) problems.push(`${paper.id}: long point`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('does not cut sentences after common abbreviations', () => {
    const badEnd = /(?:\be\.g\.|\bi\.e\.|\bet al\.|\bvs\.|\bcf\.|\bFig\.|\bEq\.)$/;
    const bad = papers.flatMap((paper) => splitSentences(paper.abstract)).filter((s) => badEnd.test(s));
    expect(bad).toEqual([]);
  });
});
