import type { z } from 'zod';
import { PaperboyError } from '../errors.js';

/**
 * Checks a message body against a platform's limits (its zod schema) before it is sent. Renderers fit content to
 * the limits, so a violation is our bug, reported as such, and never a 400 from the platform.
 */
export function assertWithinLimits<T>(schema: z.ZodType, body: T, platform: { code: string; name: string }): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'message'}: ${issue.message}`).join('; ');
    throw new PaperboyError(`${platform.code}_invalid_message`, `Refusing to send a message ${platform.name} would reject: ${problems.slice(0, 500)}`);
  }
  return body;
}
