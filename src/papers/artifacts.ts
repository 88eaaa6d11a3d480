/** What Hugging Face links to a paper: its code repository, and the models and datasets that cite it. */
export interface PaperArtifacts {
  githubRepo: string | null;
  models: string[];
  datasets: string[];
}

export const NO_ARTIFACTS: PaperArtifacts = { githubRepo: null, models: [], datasets: [] };

/** What `now` has that `before` didn't (a repository counts as new when it changed). */
export function newArtifacts(before: PaperArtifacts, now: PaperArtifacts): PaperArtifacts {
  const models = new Set(before.models);
  const datasets = new Set(before.datasets);
  return {
    githubRepo: now.githubRepo && now.githubRepo !== before.githubRepo ? now.githubRepo : null,
    models: now.models.filter((id) => !models.has(id)),
    datasets: now.datasets.filter((id) => !datasets.has(id)),
  };
}

export function hasArtifacts(artifacts: PaperArtifacts): boolean {
  return artifacts.githubRepo !== null || artifacts.models.length > 0 || artifacts.datasets.length > 0;
}

/** Everything either side has: what is announced once `found` is. Lists stay in first-seen order. */
export function mergeArtifacts(before: PaperArtifacts, found: PaperArtifacts): PaperArtifacts {
  return {
    githubRepo: found.githubRepo ?? before.githubRepo,
    models: [...new Set([...before.models, ...found.models])],
    datasets: [...new Set([...before.datasets, ...found.datasets])],
  };
}
