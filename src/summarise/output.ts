import { z } from 'zod';
import { cleanText, cutText } from './text.js';

/** Bounds on each field of an LLM summary (characters); longer text is cut, not rejected. */
export const SUMMARY_LIMITS = { tldr: 400, keyPoint: 280, whyItMatters: 500, minKeyPoints: 3, maxKeyPoints: 5 } as const;

const BULLET = /^(?:[-*•·]|\d{1,2}[.)])\s+/;

const field = (max: number) => z.string().transform((text) => cutText(cleanText(text), max));

/**
 * What the LLM must return. Structure is checked strictly (keys, types, at least 3 non-empty points); length is
 * forgiven: fields are cleaned and cut, and points beyond five are dropped.
 */
export const llmSummarySchema = z
  .object({
    tldr: field(SUMMARY_LIMITS.tldr),
    key_points: z.array(
      z.string().transform((text) => cutText(cleanText(text).replace(BULLET, ''), SUMMARY_LIMITS.keyPoint)),
    ),
    why_it_matters: field(SUMMARY_LIMITS.whyItMatters),
  })
  .transform((raw) => ({
    tldr: raw.tldr,
    keyPoints: raw.key_points.filter((point) => point.length > 0).slice(0, SUMMARY_LIMITS.maxKeyPoints),
    whyItMatters: raw.why_it_matters,
  }))
  .pipe(
    z.object({
      tldr: z.string().min(1),
      keyPoints: z.array(z.string()).min(SUMMARY_LIMITS.minKeyPoints),
      whyItMatters: z.string().min(1),
    }),
  );

export type LlmSummary = z.output<typeof llmSummarySchema>;

export type ParsedOutput = { ok: true; summary: LlmSummary } | { ok: false; problem: string };

/** Parses a chat completion's content: JSON (a surrounding code fence is tolerated), then the schema. */
export function parseLlmOutput(content: string | null | undefined): ParsedOutput {
  if (!content || content.trim() === '') return { ok: false, problem: 'empty reply' };
  const unfenced = content.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/i, '$1');
  let json: unknown;
  try {
    json = JSON.parse(unfenced);
  } catch {
    return { ok: false, problem: 'reply is not JSON' };
  }
  const result = llmSummarySchema.safeParse(json);
  if (!result.success) {
    const where = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).slice(0, 3);
    return { ok: false, problem: `reply does not match the summary schema (${where.join('; ')})` };
  }
  return { ok: true, summary: result.data };
}
