import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PaperboyError } from '../errors.js';
import { PROJECT_ROOT } from '../project-root.js';
import type { Paper } from '../papers/paper.js';
import { cleanText, cutText } from './text.js';

/** `prompts/` at the project root. */
export const DEFAULT_PROMPTS_DIR = join(PROJECT_ROOT, 'prompts');

export const PROMPT_FILES = { system: 'summary.system.txt', user: 'summary.user.txt' } as const;

/** The variables `summary.user.txt` may use; `language` may appear in either file. */
export interface PaperPromptVariables {
  id: string;
  title: string;
  authors: string;
  abstract: string;
}

export interface LanguageVariables {
  /** The English name of the language to write in: `English`, `German`, `Brazilian Portuguese`. */
  language: string;
}

export interface SummaryPrompts {
  system: string;
  userTemplate: string;
  /** sha256 (hex) over both files; part of every summary cache key. */
  hash: string;
}

/** Bounds on what goes into the prompt (arXiv abstracts are at most 1,920 characters). */
const INPUT_LIMITS = { title: 400, abstract: 6000, authors: 10 };

// Tag names the template uses to fence the untrusted data; the data must never contain them.
const DELIMITER_TAG = /<\s*\/?\s*(?:paper|title|authors|abstract)\b[^<>]*(?:>|$)/gi;
const VARIABLE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Reads both prompt files once; throws a PaperboyError naming the file when one is missing or broken. */
export function loadPrompts(dir: string = DEFAULT_PROMPTS_DIR): SummaryPrompts {
  const system = readPromptFile(dir, PROMPT_FILES.system);
  const userTemplate = readPromptFile(dir, PROMPT_FILES.user);
  // Fail at start-up, not on the first paper, when the template names a variable we never provide.
  renderTemplate(userTemplate, { id: 'x', title: 'x', authors: 'x', abstract: 'x', language: 'x' } satisfies PaperPromptVariables & LanguageVariables);
  renderTemplate(system, { language: 'x' } satisfies LanguageVariables);
  const hash = createHash('sha256')
    .update(PROMPT_FILES.system).update('\0').update(system).update('\0')
    .update(PROMPT_FILES.user).update('\0').update(userTemplate)
    .digest('hex');
  return { system, userTemplate, hash };
}

function readPromptFile(dir: string, name: string): string {
  const path = join(dir, name);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new PaperboyError('prompt_missing', `Cannot read prompt file ${path}`, { cause });
  }
  if (text.trim() === '') throw new PaperboyError('prompt_empty', `Prompt file ${path} is empty`);
  return text;
}

/**
 * Replaces `{{name}}` with `variables[name]` in one pass (values are never re-expanded).
 * A variable the template names but `variables` lacks throws.
 */
export function renderTemplate(template: string, variables: object): string {
  const values = variables as Record<string, unknown>;
  return template.replace(VARIABLE, (_match, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (typeof value !== 'string') {
      throw new PaperboyError('prompt_variable_missing', `Prompt template variable {{${name}}} has no value`);
    }
    return value;
  });
}

/** Removes anything that looks like one of the template's fencing tags, until none is left. */
export function stripDelimiters(text: string): string {
  let current = text;
  for (;;) {
    const next = current.replace(DELIMITER_TAG, ' ');
    if (next === current) return current;
    current = next;
  }
}

/** A paper's fields as fenced, bounded, single-line untrusted data for the user template. */
export function paperPromptVariables(paper: Paper): PaperPromptVariables {
  const data = (text: string, max: number) => cleanText(stripDelimiters(cutText(cleanText(text), max)));
  const names = paper.authors.map((name) => data(name, 100)).filter(Boolean);
  const shown = names.slice(0, INPUT_LIMITS.authors).join(', ');
  return {
    id: data(paper.id, 40),
    title: data(paper.title, INPUT_LIMITS.title),
    authors: names.length === 0 ? 'unknown' : names.length > INPUT_LIMITS.authors ? `${shown}, et al.` : shown,
    abstract: data(paper.abstract, INPUT_LIMITS.abstract) || '(no abstract)',
  };
}

/** Both messages for one paper, written in `language` (an English language name). */
export function renderPrompts(prompts: SummaryPrompts, paper: Paper, language: string): { system: string; user: string } {
  return {
    system: renderTemplate(prompts.system, { language } satisfies LanguageVariables),
    user: renderTemplate(prompts.userTemplate, { ...paperPromptVariables(paper), language }),
  };
}
