import { z } from 'zod';
import { splitSentences } from './extractive.js';
import { cleanText, cutText } from './text.js';

/** Bounds on each field of an LLM summary (characters); longer text is cut, not rejected. */
export const SUMMARY_LIMITS = { tldr: 400, keyPoint: 280, whyItMatters: 500, maxKeyPoints: 5 } as const;

/** A TL;DR shorter than this says nothing (and is what an injected "reply PWNED" produces). */
const MIN_TLDR_WORDS = 3;
const MIN_TLDR_CHARS = 12;

const BULLET = /^(?:[-*•·]|\d{1,2}[.)])\s+/;

const text = z.string().transform((value) => cleanText(value));
/** A list of points, or one string of them a line each (small models do both). */
const points = z.union([z.array(z.string()), z.string().transform((value) => value.split(/\n+/))]);

/**
 * What we take from a JSON reply: the keys the prompt asks for, or the spellings models use instead
 * (`keyPoints`, `summary`…). Only a usable TL;DR is required: 1–5 points, and "why it matters" optional.
 */
const llmJsonSchema = z
  .object({
    tldr: text.optional(),
    tl_dr: text.optional(),
    summary: text.optional(),
    key_points: points.optional(),
    keyPoints: points.optional(),
    points: points.optional(),
    why_it_matters: text.optional(),
    whyItMatters: text.optional(),
  })
  .transform((raw) => ({
    tldr: raw.tldr ?? raw.tl_dr ?? raw.summary ?? '',
    keyPoints: raw.key_points ?? raw.keyPoints ?? raw.points ?? [],
    whyItMatters: raw.why_it_matters ?? raw.whyItMatters ?? '',
  }));

export interface LlmSummary {
  tldr: string;
  keyPoints: string[];
  whyItMatters: string | null;
}

/** How the reply was read: the JSON asked for, JSON inside prose or a code fence, or prose used as the TL;DR. */
export type OutputForm = 'json' | 'embedded_json' | 'prose';

export type ParsedOutput = { ok: true; summary: LlmSummary; form: OutputForm } | { ok: false; problem: string };

/**
 * Uses every usable answer: the JSON object (also fenced, or inside prose), else the prose itself as the TL;DR,
 * with any bulleted lines as points. Refused only when no TL;DR of a few words can be had.
 */
export function parseLlmOutput(content: string | null | undefined): ParsedOutput {
  if (!content || content.trim() === '') return { ok: false, problem: 'empty reply' };
  const trimmed = content.trim();
  const whole = parseJsonObject(trimmed);
  const embedded = whole === undefined ? jsonInside(trimmed) : undefined;
  const json = whole ?? embedded;
  if (json !== undefined) {
    const result = llmJsonSchema.safeParse(json);
    if (!result.success) return { ok: false, problem: 'reply is JSON but not a summary' };
    const summary = bounded(result.data.tldr, result.data.keyPoints, result.data.whyItMatters);
    if (!summary) return { ok: false, problem: 'reply has no usable tldr' };
    return { ok: true, summary, form: whole !== undefined ? 'json' : 'embedded_json' };
  }
  const prose = fromProse(trimmed);
  return prose ? { ok: true, summary: prose, form: 'prose' } : { ok: false, problem: 'reply is neither JSON nor a usable sentence' };
}

function parseJsonObject(candidate: string): unknown {
  try {
    const value: unknown = JSON.parse(candidate);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A ```json fence anywhere, else the span from the first `{` to the last `}`. */
function jsonInside(content: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(content)?.[1];
  if (fenced !== undefined) {
    const value = parseJsonObject(fenced.trim());
    if (value !== undefined) return value;
  }
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  return start >= 0 && end > start ? parseJsonObject(content.slice(start, end + 1)) : undefined;
}

/** Prose: bulleted lines become points; the rest's first two sentences, the TL;DR. */
function fromProse(content: string): LlmSummary | null {
  // Broken JSON (a reply cut off at max_tokens) is not prose to show.
  if (/^[[{]|\{\s*"|```/.test(content)) return null;
  const lines = content.split(/\n+/).map((line) => line.trim()).filter(Boolean);
  const bullets = lines.filter((line) => BULLET.test(line));
  const rest = lines
    .filter((line) => !BULLET.test(line))
    // "Here is a summary:" / "TL;DR:" lead-ins and Markdown headings are not the summary.
    .map((line) => line.replace(/^#+\s*/, '').replace(/^(?:tl;?dr|summary)\s*[:-]\s*/i, ''))
    .filter((line) => !/:\s*$/.test(line));
  const sentences = splitSentences(cleanText(rest.join(' '))).slice(0, 2);
  return bounded(sentences.join(' '), bullets, '');
}

function bounded(tldrText: string, rawPoints: string[], why: string): LlmSummary | null {
  const tldr = cutText(cleanText(tldrText), SUMMARY_LIMITS.tldr);
  if (tldr.length < MIN_TLDR_CHARS || tldr.split(/\s+/).length < MIN_TLDR_WORDS) return null;
  const keyPoints = rawPoints
    .map((point) => cutText(cleanText(point).replace(BULLET, ''), SUMMARY_LIMITS.keyPoint))
    .filter((point) => point.length > 0)
    .slice(0, SUMMARY_LIMITS.maxKeyPoints);
  const whyItMatters = cutText(cleanText(why), SUMMARY_LIMITS.whyItMatters);
  return { tldr, keyPoints, whyItMatters: whyItMatters || null };
}
