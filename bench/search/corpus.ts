import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { foldWhitespace, type Paper } from '../../src/papers/paper.js';
import { createRng, intBetween, pick, type Rng } from '../lib/rng.js';

/** A generated paper and the HF day it is listed on. */
export interface BenchPaper {
  paper: Paper;
  day: string;
}

/** Text pools sampled to generate papers: real Daily Papers when available, else a built-in vocabulary. */
export interface Pools {
  source: string;
  titles: string[];
  sentences: string[][];
  authors: string[];
  authorLists: string[][];
  keywordLists: string[][];
  upvotes: number[];
}

const REAL_PAPERS = process.env.PAPERBOY_BENCH_PAPERS ?? fileURLToPath(new URL('../../../shared/data/hf-daily/papers.jsonl', import.meta.url));

interface RealPaper {
  title: string;
  summary: string;
  authors: string[];
  ai_keywords: string[] | null;
  upvotes: number;
}

export function loadPools(path = REAL_PAPERS): Pools {
  if (!existsSync(path)) return builtInPools();
  const pools: Pools = { source: `${path}`, titles: [], sentences: [], authors: [], authorLists: [], keywordLists: [], upvotes: [] };
  const authorSet = new Set<string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const real = JSON.parse(line) as RealPaper;
    pools.titles.push(foldWhitespace(real.title));
    pools.sentences.push(splitSentences(foldWhitespace(real.summary)));
    pools.authorLists.push(real.authors);
    for (const name of real.authors) authorSet.add(name);
    pools.keywordLists.push(real.ai_keywords ?? []);
    pools.upvotes.push(real.upvotes);
  }
  pools.authors = [...authorSet];
  pools.source = `${pools.titles.length.toLocaleString('en-US')} real papers (${path})`;
  return pools;
}

function splitSentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[A-Z])/).filter((s) => s.length > 0);
}

/** Share of an abstract's sentences swapped for one from another paper: more would inflate term spread. */
const FOREIGN_SENTENCE_SHARE = 0.2;
const START_DAY = Date.UTC(2021, 8, 1);
const END_DAY = Date.UTC(2026, 7, 21);

/**
 * `count` papers, deterministic for a seed. Each takes a real paper's title (a quarter of the time spliced with another
 * title), its abstract with a fifth of the sentences swapped for sentences of other abstracts (so texts differ
 * while term spread and phrases stay close to the real corpus), its co-author list with some names swapped, its
 * keywords and an upvote count drawn from the real distribution. Days rise with the index, as a daily sync
 * writes them.
 */
export function generateCorpus(pools: Pools, count: number, seed = 42): BenchPaper[] {
  const rng = createRng(seed);
  const perMonth = new Map<string, number>();
  const papers: BenchPaper[] = [];
  for (let i = 0; i < count; i++) {
    const base = Math.floor(rng() * pools.titles.length);
    const dayMs = START_DAY + Math.floor(((END_DAY - START_DAY) * i) / Math.max(1, count - 1) / 86_400_000) * 86_400_000;
    const day = new Date(dayMs).toISOString().slice(0, 10);
    const published = new Date(dayMs - intBetween(rng, 0, 4) * 86_400_000).toISOString().slice(0, 10);
    const month = day.slice(2, 4) + day.slice(5, 7);
    const serial = (perMonth.get(month) ?? 0) + 1;
    perMonth.set(month, serial);
    papers.push({
      day,
      paper: {
        id: `${month}.${String(serial).padStart(5, '0')}`,
        title: makeTitle(rng, pools, base),
        abstract: makeAbstract(rng, pools, base),
        authors: makeAuthors(rng, pools, base),
        publishedAt: published,
        upvotes: pick(rng, pools.upvotes),
        comments: intBetween(rng, 0, 5),
        githubRepo: null,
        githubStars: null,
        projectPage: null,
        aiSummary: null,
        aiKeywords: pools.keywordLists[base] ?? [],
        organization: null,
        thumbnail: null,
      },
    });
  }
  return papers;
}

function makeTitle(rng: Rng, pools: Pools, base: number): string {
  const title = pools.titles[base]!;
  if (rng() < 0.75) return title;
  const other = pick(rng, pools.titles);
  const [prefix] = title.split(':');
  const rest = other.includes(':') ? other.slice(other.indexOf(':') + 1).trim() : other;
  return title.includes(':') ? `${prefix}: ${rest}` : rest;
}

function makeAbstract(rng: Rng, pools: Pools, base: number): string {
  return pools.sentences[base]!.map((own) => (rng() < FOREIGN_SENTENCE_SHARE ? pick(rng, pick(rng, pools.sentences)) : own)).join(' ');
}

function makeAuthors(rng: Rng, pools: Pools, base: number): string[] {
  return pools.authorLists[base]!.map((name) => (rng() < 0.3 ? pick(rng, pools.authors) : name));
}

/** A small vocabulary for when the real data is not on disk: Zipf-ish word choice, ML-flavoured. */
export function builtInPools(): Pools {
  const rng = createRng(7);
  const words = BUILT_IN_WORDS.split(/\s+/);
  const zipf = () => words[Math.min(words.length - 1, Math.floor(words.length * rng() ** 2.5))]!;
  const sentence = (n: number) => {
    const text = Array.from({ length: n }, zipf).join(' ');
    return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
  };
  const first = ['Wei', 'Anna', 'Li', 'Maria', 'Yann', 'Chen', 'Sara', 'Omar', 'Kenji', 'Ravi', 'Ada', 'Lukas'];
  const last = ['Wang', 'Zhang', 'Smith', 'Garcia', 'Kim', 'Müller', 'Rossi', 'Sato', 'Patel', 'Nguyen', 'Ivanov'];
  const authors = first.flatMap((f) => last.map((l) => `${f} ${l}`));
  const pools: Pools = { source: 'built-in vocabulary (real data not found)', titles: [], sentences: [], authors, authorLists: [], keywordLists: [], upvotes: [] };
  for (let i = 0; i < 2000; i++) {
    pools.titles.push(sentence(intBetween(rng, 5, 11)).slice(0, -1));
    pools.sentences.push(Array.from({ length: intBetween(rng, 5, 9) }, () => sentence(intBetween(rng, 12, 28))));
    pools.authorLists.push(Array.from({ length: intBetween(rng, 2, 8) }, () => pick(rng, authors)));
    pools.keywordLists.push(Array.from({ length: intBetween(rng, 0, 6) }, () => `${zipf()} ${zipf()}`));
    pools.upvotes.push(Math.floor(60 * rng() ** 3));
  }
  return pools;
}

const BUILT_IN_WORDS = `the of and a to in we model models language learning data for on with is that our training
  large performance diffusion image reasoning video tasks benchmark agents llms method generation vision results
  transformer attention multimodal reinforcement policy reward tokens inference efficient fine-tuning dataset
  evaluation alignment retrieval code math robot 3d scene speech audio text visual knowledge memory context
  in-context chain-of-thought instruction preference optimization scaling pretraining quantization sparse mixture
  experts latent flow matching consistency distillation editing segmentation detection depth point cloud graph
  neural network architecture mamba state space recurrent long-context hallucination safety jailbreak red-teaming
  privacy federated continual few-shot zero-shot prompt tuning adapter lora parameter-efficient pruning
  compression speculative decoding kv cache throughput latency hardware gpu kernel compiler theorem proving
  formal verification planning embodied navigation manipulation world simulation physics weather protein
  molecule chemistry medical clinical radiology legal finance education multilingual translation low-resource
  grokking interpretability circuits probing sparse-autoencoders features superposition emergent capabilities`;
