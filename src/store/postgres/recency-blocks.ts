/**
 * Newest-first search through the GIN index alone. Search wants the newest N matches, but a GIN index returns
 * matches in no useful order: PostgreSQL either fetches and sorts every match (tens of thousands for a common
 * word) or walks `rowid` backwards re-reading each row's TOASTed vector until N match (thousands of rows for a
 * mid-frequency phrase); at 100k papers both cost 50–500 ms.
 *
 * So every vector also holds lexemes naming the block of rowids it belongs to: `#k` for rowids
 * [k·BLOCK_ROWS, (k+1)·BLOCK_ROWS) and `##m` for the BLOCKS_PER_SPAN blocks from m·BLOCKS_PER_SPAN. A search asks
 * for its matches in the newest block first, then in older and older runs of blocks, stopping once it has N:
 * each step is one GIN lookup intersecting the query with a few block lexemes, so only recent matching rows are
 * read. Blocks partition rowids in order, so the first N found this way are exactly the newest N matches.
 */
export const BLOCK_ROWS = 1_024;
/** Blocks per `##` span lexeme, used where a step covers whole spans (keeps each step's OR short). */
const BLOCKS_PER_SPAN = 16;
/** Rows a step aims for beyond what the density seen so far says it needs: one step usually suffices. */
const MARGIN = 1.25;
/**
 * Bounds on how much larger than the one before a step may be. At least twice: a search finding little reaches
 * the oldest rows in a few steps. At most sixteen times: a density guessed from the few rows of a first step
 * cannot send one step through all the matches of a word that was common in older papers.
 */
const MIN_GROWTH = 2;
const MAX_GROWTH = 16;

/** SQL for the block lexemes of the row whose rowid is `rowid` (an SQL expression), as a tsvector. */
export function blockLexemesSql(rowid: string): string {
  return `array_to_tsvector(ARRAY['#' || (${rowid}) / ${BLOCK_ROWS}, '##' || (${rowid}) / ${BLOCK_ROWS * BLOCKS_PER_SPAN}])`;
}

/** A step: blocks [from, to] (inclusive) and the tsquery text selecting them. */
export interface BlockStep {
  from: number;
  to: number;
  tsquery: string;
}

/** The newest block, with the one before it while the newest is less than half full. */
export function firstStep(newestRowid: number): BlockStep {
  const to = Math.floor(newestRowid / BLOCK_ROWS);
  const from = newestRowid % BLOCK_ROWS < BLOCK_ROWS / 2 ? Math.max(0, to - 1) : to;
  return step(from, to);
}

/**
 * The step after `previous`, sized from what the search has found so far over the rows covered (newest back to
 * `previous.from`): enough blocks to find the rest at that density, within MIN_GROWTH and MAX_GROWTH times the
 * previous step. Null once block 0 is covered.
 */
export function nextStep(previous: BlockStep, newestRowid: number, found: number, wanted: number): BlockStep | null {
  if (previous.from === 0) return null;
  const covered = newestRowid - previous.from * BLOCK_ROWS + 1;
  const density = Math.max(found, 0.5) / covered;
  const blocksNeeded = Math.ceil((((wanted - found) / density) * MARGIN) / BLOCK_ROWS);
  const previousSize = previous.to - previous.from + 1;
  const size = Math.min(MAX_GROWTH * previousSize, Math.max(MIN_GROWTH * previousSize, blocksNeeded));
  const to = previous.from - 1;
  return step(Math.max(0, to - size + 1), to);
}

function step(from: number, to: number): BlockStep {
  return { from, to, tsquery: blocksTsquery(from, to) };
}

/** `#k | … | ##m | …` covering blocks [from, to] with as few lexemes as whole spans allow. */
function blocksTsquery(from: number, to: number): string {
  const lexemes: string[] = [];
  let block = from;
  while (block <= to) {
    if (block % BLOCKS_PER_SPAN === 0 && block + BLOCKS_PER_SPAN - 1 <= to) {
      lexemes.push(`'##${block / BLOCKS_PER_SPAN}'`);
      block += BLOCKS_PER_SPAN;
    } else {
      lexemes.push(`'#${block}'`);
      block++;
    }
  }
  return lexemes.length === 1 ? lexemes[0]! : `(${lexemes.join(' | ')})`;
}
