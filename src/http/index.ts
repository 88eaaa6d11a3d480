export { createJsonClient, type JsonClient, type JsonClientOptions, type Query, type RetryEvent } from './json-client.js';
export { httpError, isHttpError, type HttpErrorCode } from './http-error.js';
export { createRateLimiter, type RateLimiter, type RateLimitOptions } from './rate-limiter.js';
export { backoffDelay, isRetryableStatus, parseRateLimitReset, parseRetryAfter } from './retry.js';
export { realSleep, type Sleep } from './sleep.js';
