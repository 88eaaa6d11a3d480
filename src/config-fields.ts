import { z } from 'zod';

/** Field schemas the core's settings and every platform's settings share. Empty strings never reach them. */

export const optionalText = z.string().trim().min(1).optional();

/** An http(s) base URL, without a trailing slash. */
export const baseUrl = z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, ''));
