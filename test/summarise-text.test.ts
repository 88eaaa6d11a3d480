import { describe, expect, it } from 'vitest';
import { keySentences, splitSentences } from '../src/summarise/extractive.js';
import { fallbackSummary } from '../src/summarise/fallback.js';
import { parseLlmOutput, SUMMARY_LIMITS } from '../src/summarise/output.js';
import { paperPromptVariables, renderTemplate, stripDelimiters } from '../src/summarise/prompts.js';
import { cleanText, cutText } from '../src/summarise/text.js';
import { paper } from './fixtures/summarise/papers.js';

describe('splitSentences', () => {
  it('does not split at e.g., et al., vs., cf., i.e. or decimals', () => {
    const text = 'Prior work (e.g. Smith et al. 2020) is slow. We reach 91.3 vs. 90.1 points, i.e. More is better. Finally, cf. Fig. 3 shows it!';
    expect(splitSentences(text)).toEqual([
      'Prior work (e.g. Smith et al. 2020) is slow.',
      'We reach 91.3 vs. 90.1 points, i.e. More is better.',
      'Finally, cf. Fig. 3 shows it!',
    ]);
  });

  it('splits after closing quotes and brackets, and before digits and camel-cased names', () => {
    expect(splitSentences('It works (mostly.) Then "Done." 3D scenes follow. iPhone apps too.')).toEqual([
      'It works (mostly.)',
      'Then "Done."',
      '3D scenes follow.',
      'iPhone apps too.',
    ]);
  });

  it('folds arXiv hard wraps and keeps lower-case continuations together', () => {
    expect(splitSentences('A model\n  that works. and so on. The end')).toEqual(['A model that works. and so on.', 'The end']);
    expect(splitSentences('   ')).toEqual([]);
  });
});

describe('keySentences', () => {
  it('prefers the contribution and title terms, skips boilerplate, keeps the original order', () => {
    const abstract = paper().abstract;
    const key = keySentences(abstract, paper().title, 2);
    expect(key).toEqual([
      'We propose SparseMix, a sparse mixture routing scheme that lets each token choose 4.5% of the context.',
      'SparseMix reaches 91.3 vs. 90.1 accuracy on LongBench while using 3.2x less memory.',
    ]);
  });
});

describe('fallbackSummary', () => {
  it("uses HF's ai_summary as the TL;DR with key sentences as points", () => {
    const summary = fallbackSummary(paper());
    expect(summary.source).toBe('hf');
    expect(summary.tldr).toBe(paper().aiSummary);
    expect(summary.keyPoints).toHaveLength(3);
    expect(summary.keyPoints.some((point) => point.includes('https://'))).toBe(false);
    expect(summary.whyItMatters).toBeNull();
    expect(summary.model).toBeNull();
  });

  it('without ai_summary: the best sentence is the TL;DR and the next best are points, in order', () => {
    const summary = fallbackSummary(paper({ aiSummary: null }));
    expect(summary.source).toBe('abstract');
    expect(summary.tldr).toMatch(/^We propose SparseMix/);
    expect(summary.keyPoints).not.toContain(summary.tldr);
    expect(summary.keyPoints.length).toBeGreaterThan(0);
  });

  it('never fails, even with no abstract', () => {
    const summary = fallbackSummary(paper({ aiSummary: null, abstract: '' }));
    expect(summary).toMatchObject({ source: 'abstract', keyPoints: [], tldr: 'SparseMix: Sparse Mixture Routing for Efficient Long-Context Transformers' });
  });
});

describe('prompt templates', () => {
  it('fills named variables in one pass and throws on a missing one', () => {
    expect(renderTemplate('<t>{{title}}</t> {{ abstract }}', { title: '{{abstract}}', abstract: 'A' })).toBe('<t>{{abstract}}</t> A');
    expect(() => renderTemplate('{{title}} {{year}}', { title: 'T' })).toThrow(/\{\{year\}\}/);
    expect(() => renderTemplate('{{toString}}', {})).toThrow(/toString/);
  });

  it('strips the fencing tags from untrusted data, even when nested to reassemble', () => {
    expect(stripDelimiters('a </paper> b <PAPER id=1> c </abstract')).not.toMatch(/<\s*\/?\s*(paper|abstract)/i);
    expect(stripDelimiters('x <pa</paper>per> y')).not.toMatch(/<\s*\/?\s*paper/i);
    expect(stripDelimiters('if a < b and b > c then <papers>')).toBe('if a < b and b > c then <papers>');
  });

  it('bounds and cleans the paper fields', () => {
    const vars = paperPromptVariables(paper({ authors: Array.from({ length: 12 }, (_, i) => `Author ${i}`), abstract: 'x\u0007y\u202Ez '.repeat(2000) }));
    expect(vars.authors.endsWith('Author 9, et al.')).toBe(true);
    expect(vars.abstract.length).toBeLessThanOrEqual(6000);
    expect(vars.abstract.includes('\u0007') || vars.abstract.includes('\u202E')).toBe(false);
    expect(vars.title).toBe('SparseMix: Sparse Mixture Routing for Efficient Long-Context Transformers');
  });
});

describe('LLM output validation', () => {
  const TLDR = 'A sparse router halves the cost of long-context attention.';
  const good = { tldr: TLDR, key_points: ['a', 'b', 'c'], why_it_matters: 'W.' };
  const summaryOf = (content: string) => {
    const result = parseLlmOutput(content);
    if (!result.ok) throw new Error(`refused: ${result.problem}`);
    return result;
  };

  it('accepts the schema, tolerating a code fence, bullets and extra keys', () => {
    const fenced = '```json\n' + JSON.stringify({ ...good, key_points: ['- a', '2. b', '• c'], extra: 1 }) + '\n```';
    expect(parseLlmOutput(fenced)).toEqual({ ok: true, form: 'embedded_json', summary: { tldr: TLDR, keyPoints: ['a', 'b', 'c'], whyItMatters: 'W.' } });
    expect(summaryOf(JSON.stringify(good)).form).toBe('json');
  });

  it('uses an answer with 1 or 2 points, or no "why it matters" (what small models return)', () => {
    expect(summaryOf(JSON.stringify({ tldr: TLDR, key_points: ['Only one point.'] })).summary).toEqual({ tldr: TLDR, keyPoints: ['Only one point.'], whyItMatters: null });
    expect(summaryOf(JSON.stringify({ ...good, key_points: ['a', '  ', 'b'] })).summary.keyPoints).toEqual(['a', 'b']);
    expect(summaryOf(JSON.stringify({ tldr: TLDR })).summary.keyPoints).toEqual([]);
  });

  it('reads the spellings models use instead, and points as one string of lines', () => {
    const result = summaryOf(JSON.stringify({ summary: TLDR, keyPoints: '- first\n- second', whyItMatters: 'W.' }));
    expect(result.summary).toEqual({ tldr: TLDR, keyPoints: ['first', 'second'], whyItMatters: 'W.' });
  });

  it('finds the JSON inside prose around it', () => {
    const chatty = `Sure! Here is the summary you asked for:\n\n${JSON.stringify(good)}\n\nLet me know if you need more.`;
    expect(summaryOf(chatty)).toMatchObject({ form: 'embedded_json', summary: { tldr: TLDR } });
  });

  it('uses prose as the TL;DR, with bulleted lines as points', () => {
    const prose = `Summary: ${TLDR} It was tested on three benchmarks. A third sentence is dropped.\n- Routes tokens sparsely.\n- Code is released.`;
    expect(summaryOf(prose)).toEqual({
      ok: true,
      form: 'prose',
      summary: { tldr: `${TLDR} It was tested on three benchmarks.`, keyPoints: ['Routes tokens sparsely.', 'Code is released.'], whyItMatters: null },
    });
  });

  it('cuts over-long fields and extra points instead of failing', () => {
    const long = 'word '.repeat(500);
    const { summary } = summaryOf(JSON.stringify({ tldr: long, key_points: Array(8).fill(long), why_it_matters: long }));
    expect(summary.tldr.length).toBeLessThanOrEqual(SUMMARY_LIMITS.tldr);
    expect(summary.tldr.endsWith('…')).toBe(true);
    expect(summary.keyPoints).toHaveLength(5);
    for (const point of summary.keyPoints) expect(point.length).toBeLessThanOrEqual(SUMMARY_LIMITS.keyPoint);
    expect(summary.whyItMatters!.length).toBeLessThanOrEqual(SUMMARY_LIMITS.whyItMatters);
  });

  it.each([
    ['a word', 'PWNED'],
    ['empty', ''],
    ['a JSON string', '"PWNED"'],
    ['a one-word tldr', JSON.stringify({ tldr: 'PWNED', key_points: ['PWNED'], why_it_matters: 'PWNED' })],
    ['JSON without a tldr', JSON.stringify({ key_points: ['a', 'b'] })],
    ['wrong types', JSON.stringify({ ...good, key_points: 42 })],
    ['blank tldr', JSON.stringify({ ...good, tldr: ' \n ' })],
    ['a lead-in with nothing after it', 'Here is the summary:'],
    ['JSON cut off at max_tokens', '{"tldr": "A sparse router halves the cost of long-context attention and'],
  ])('refuses %s', (_name, content) => {
    expect(parseLlmOutput(content).ok).toBe(false);
  });
});

describe('text helpers', () => {
  it('cleanText folds whitespace and drops control and bidi characters', () => {
    expect(cleanText('  a\n\t b\u0000c\u202Ed\u2066 ')).toBe('a bcd');
    expect(cleanText('a \u0007 b\u0085c')).toBe('a b c');
  });

  it('cutText cuts at a word boundary without splitting surrogate pairs', () => {
    expect(cutText('short', 10)).toBe('short');
    expect(cutText('alpha beta gamma delta', 12)).toBe('alpha beta…');
    const emoji = '😀'.repeat(10);
    const cut = cutText(emoji, 6);
    expect(cut.length).toBeLessThanOrEqual(6);
    expect(cut).toBe('😀😀…');
  });
});
