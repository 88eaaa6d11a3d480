import { describe, expect, it } from 'vitest';
import { canonicalArxivId } from '../src/papers/arxiv-id.js';

describe('canonicalArxivId', () => {
  it.each([
    ['2605.15320', '2605.15320'],
    ['2605.15320v2', '2605.15320'],
    ['2605.15320V12', '2605.15320'],
    ['arXiv:2605.15320', '2605.15320'],
    ['ARXIV:2605.15320v1', '2605.15320'],
    ['arXiv: 2605.15320', '2605.15320'],
    ['  2605.15320  ', '2605.15320'],
    ['https://arxiv.org/abs/2605.15320v3', '2605.15320'],
    ['https://arxiv.org/abs/2605.15320', '2605.15320'],
    ['http://arxiv.org/abs/2605.15320/', '2605.15320'],
    ['https://www.arxiv.org/abs/2605.15320?context=cs.LG', '2605.15320'],
    ['https://export.arxiv.org/abs/2605.15320', '2605.15320'],
    ['https://arxiv.org/pdf/2605.15320v1.pdf', '2605.15320'],
    ['https://arxiv.org/pdf/2605.15320', '2605.15320'],
    ['https://arxiv.org/pdf/2605.15320v2', '2605.15320'],
    ['https://arxiv.org/html/2605.15320v1', '2605.15320'],
    ['https://huggingface.co/papers/2605.15320', '2605.15320'],
    ['https://huggingface.co/papers/2605.15320#community', '2605.15320'],
    ['https://hf.co/papers/2605.15320', '2605.15320'],
    ['https://huggingface.co/api/papers/2605.15320', '2605.15320'],
    ['arxiv.org/abs/2605.15320', '2605.15320'],
    ['huggingface.co/papers/2605.15320', '2605.15320'],
    ['<https://arxiv.org/abs/2605.15320v3>', '2605.15320'],
    ['<https://arxiv.org/abs/2605.15320|arxiv.org/abs/2605.15320>', '2605.15320'],
    ['(2605.15320)', '2605.15320'],
    ['2605.15320.', '2605.15320'],
    // Four-digit sequence numbers until 2014, five since 2015.
    ['1412.6980', '1412.6980'],
    ['0704.0001v1', '0704.0001'],
    ['1501.00001', '1501.00001'],
    // Old style, subject class dropped as arXiv's preferred form does.
    ['hep-th/9901001v2', 'hep-th/9901001'],
    ['hep-th/9901001', 'hep-th/9901001'],
    ['arXiv:hep-th/9901001', 'hep-th/9901001'],
    ['math.GT/0309136', 'math/0309136'],
    ['math.CA/0611800v2', 'math/0611800'],
    ['cond-mat.mes-hall/0101001', 'cond-mat/0101001'],
    ['HEP-TH/9901001', 'hep-th/9901001'],
    ['https://arxiv.org/abs/hep-th/9901001v2', 'hep-th/9901001'],
    ['https://arxiv.org/pdf/quant-ph/0201082v1.pdf', 'quant-ph/0201082'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalArxivId(input)).toBe(expected);
  });

  it.each([
    [''],
    ['   '],
    ['junk'],
    ['grokking transformers'],
    ['2605'],
    ['2605.'],
    ['2605.153'],
    ['2605.153201'],
    ['2605.1532'], // 4 digits after 2014
    ['1412.69801'], // 5 digits before 2015
    ['0703.0001'], // new scheme started in April 2007
    ['2613.15320'], // month 13
    ['2600.15320'],
    ['2605.15320v'],
    ['2605.15320vx'],
    ['2605.15320v2v3'],
    ['v2605.15320'],
    ['x2605.15320'],
    ['10.48550/arXiv.2605.15320'],
    ['hep-th/990100'],
    ['hep-th/99010011'],
    ['hep-th/9913001'], // month 13
    ['hep-th/0801001'], // old scheme ended in March 2007
    ['hep th/9901001'],
    ['/9901001'],
    ['https://example.com/abs/2605.15320'],
    ['https://arxiv.org.evil.com/abs/2605.15320'],
    ['https://arxiv.org/list/cs.LG/recent'],
    ['https://arxiv.org/abs/'],
    ['https://arxiv.org/abs/%E0%A4%A'], // malformed escape must not throw
    ['https://huggingface.co/papers/not-an-id'],
    ['https://huggingface.co/datasets/2605.15320'],
    ['ftp://arxiv.org/abs/2605.15320'],
    ['https://'],
    ['2605.15320 2605.15321'],
    [`${'9'.repeat(400)}`],
    ['<script>2605.15320</script>'],
  ])('%j → null', (input) => {
    expect(canonicalArxivId(input)).toBeNull();
  });

  it('never throws, whatever the input', () => {
    const samples = ['%', 'https://arxiv.org/abs/%', 'https://[::1', 'arXiv:', '<>', '<|>', 'https://hf.co/papers/%ZZ', '\u0000', '𝔁'.repeat(200)];
    for (const sample of samples) expect(() => canonicalArxivId(sample)).not.toThrow();
  });

  it('is idempotent on its own output', () => {
    for (const id of ['2605.15320', '1412.6980', 'hep-th/9901001', 'math/0309136']) expect(canonicalArxivId(id)).toBe(id);
  });
});
