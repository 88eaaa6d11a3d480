import { createRng, pick } from '../lib/rng.js';
import type { Pools } from './corpus.js';

/** What people type after `/papers`: niche and common words, phrases, OR, exclusions and author filters. */
export const HAND_WRITTEN_QUERIES: readonly string[] = [
  // niche terms
  'grokking', 'mamba', 'lora', 'speculative decoding', 'kv cache', 'sparse autoencoders', 'superposition',
  'jailbreak', 'watermarking', 'quantization', 'tokenizer', 'protein', 'weather forecasting', 'theorem proving',
  'gaussian splatting', 'nerf', 'text-to-sql', 'hallucination', 'unlearning', 'distillation', 'rlhf', 'dpo',
  'test-time scaling', 'moe', 'state space models', 'vq-vae', 'world model', 'humanoid', 'lidar', 'ocr',
  // common terms
  'language model', 'diffusion', 'reinforcement learning', 'benchmark', 'agents', 'llm', 'video generation',
  'transformer', 'reasoning', 'multimodal', 'image', 'training', 'dataset', 'evaluation', 'efficient inference',
  'large language models reasoning', 'vision', 'alignment', 'code generation', 'robotics',
  // phrases
  '"chain of thought"', '"in-context learning"', '"mixture of experts"', '"retrieval augmented generation"',
  '"vision language model"', '"reward model"', '"long context"', '"text to image"', '"flow matching"',
  '"direct preference optimization"', '"large language models"', '"scaling laws"', '"zero-shot"',
  // OR
  'diffusion OR flow', 'lora OR adapter', 'audio OR speech', 'robot OR embodied', 'agent OR agents tool',
  'math OR mathematical reasoning', 'video OR image generation', 'sql OR database', 'rag OR retrieval',
  // exclusions
  'agents -survey', 'diffusion -video', 'reasoning -math', 'llm -"chain of thought"', 'benchmark -leaderboard',
  'transformer -vision', 'quantization -"post-training"',
  // authors
  'author:"Ziwei Liu"', 'author:"Dahua Lin"', 'author:Wang', 'author:Zhang diffusion', 'author:"Yu Qiao" video',
  'author:Liu OR author:Chen', 'author:LeCun', 'author:"Percy Liang"',
];

/**
 * The bench query set: the hand-written queries plus ones drawn from the corpus pools (real keyword phrases,
 * author names and title words), 1,000 different ones in all, so a first pass is cold for every one of them.
 * Deterministic.
 */
export function benchQueries(pools: Pools, total = 1_000, seed = 11): string[] {
  const rng = createRng(seed);
  const queries = [...new Set(HAND_WRITTEN_QUERIES)];
  const seen = new Set(queries.map((query) => query.toLowerCase()));
  const push = (query: string) => {
    if (!seen.has(query.toLowerCase())) {
      seen.add(query.toLowerCase());
      queries.push(query);
    }
  };
  const keywords = pools.keywordLists.flat().filter((k) => k.length > 3 && !k.includes('"'));
  // Bounded: a small built-in vocabulary may not hold `total` different queries.
  for (let attempt = 0; queries.length < total && attempt < total * 50; attempt++) {
    const kind = attempt % 3;
    if (kind === 0 && keywords.length > 0) push(`"${pick(rng, keywords)}"`);
    else if (kind === 1) push(`author:"${pick(rng, pools.authors).replaceAll('"', '')}"`);
    else {
      const words = pick(rng, pools.titles).split(/\s+/).filter((w) => /^[A-Za-z][a-z]{4,}$/.test(w));
      push(words.length > 0 ? pick(rng, words).toLowerCase() : 'model');
    }
  }
  return queries;
}
