/** A paper as paperboy stores and shows it; every text field is plain text (never markup). */
export interface Paper {
  /** Canonical arXiv id, version stripped: `2605.15320` or `hep-th/9901001`. */
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  /** arXiv publication date, YYYY-MM-DD, when known. */
  publishedAt: string | null;
  upvotes: number;
  comments: number;
  githubRepo: string | null;
  githubStars: number | null;
  projectPage: string | null;
  aiSummary: string | null;
  aiKeywords: string[];
  organization: string | null;
  thumbnail: string | null;
}

/** A paper as listed on one Hugging Face Daily Papers day, at its position in HF's order. */
export interface DailyListing {
  paper: Paper;
  /** The HF daily bucket label (YYYY-MM-DD). */
  day: string;
  /** 1-based position in HF's order for that day (upvotes, descending). */
  rank: number;
}

export interface PaperLinks {
  huggingFace: string;
  arxiv: string;
  pdf: string;
  code: string | null;
  project: string | null;
}

export function paperLinks(paper: Paper): PaperLinks {
  return {
    huggingFace: `https://huggingface.co/papers/${paper.id}`,
    arxiv: `https://arxiv.org/abs/${paper.id}`,
    pdf: `https://arxiv.org/pdf/${paper.id}`,
    code: paper.githubRepo,
    project: paper.projectPage,
  };
}

/** Folds arXiv hard wraps and runs of whitespace into single spaces. */
export function foldWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
