/**
 * Search texts that are all different, so no request is answered from the search cache: the cold-cache case.
 * Two-word AND queries over common paper vocabulary (each matches a broad set, the expensive kind).
 */
const WORDS = ['model', 'learning', 'language', 'vision', 'video', 'diffusion', 'agent', 'reasoning', 'benchmark', 'efficient', 'training', 'generation', 'attention', 'multimodal', 'robot', 'reward', 'scaling', 'data', 'image', 'policy', 'transformer', 'retrieval', 'alignment', 'evaluation'];

export function distinctQueries(count: number): string[] {
  const queries: string[] = [];
  for (const a of WORDS) for (const b of WORDS) if (a !== b) queries.push(`${a} ${b}`);
  if (count > queries.length) throw new Error(`only ${queries.length} distinct queries`);
  return queries.slice(0, count);
}
