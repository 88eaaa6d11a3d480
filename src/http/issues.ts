import type { z } from 'zod';

/** One short line from zod issues: "expected array, received object" or "… at [3].paper.upvotes (+2 more)". */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const first = issues[0];
  if (!first) return 'unexpected shape';
  const message = first.message.replace(/^Invalid input:\s*/i, '');
  const where = formatPath(first.path);
  const more = issues.length > 1 ? ` (+${issues.length - 1} more)` : '';
  return `${message}${where ? ` at ${where}` : ''}${more}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out;
}
