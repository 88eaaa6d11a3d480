import type { Clock } from '../time.js';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before letting one probe through. */
  cooldownMs: number;
}

/**
 * Stops calling a failing dependency for a while: after `failureThreshold` consecutive failures, `allow()` is
 * false for `cooldownMs`; then a single probe goes through (half-open). A success closes the circuit, a failed
 * probe opens it again.
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;
  private probing = false;

  constructor(
    private readonly options: CircuitBreakerOptions,
    private readonly clock: Clock,
  ) {}

  /** Whether a call may go out now; in the half-open state this hands out the single probe. */
  allow(): boolean {
    if (!this.isTripped()) return true;
    if (this.clock().getTime() < this.openUntil || this.probing) return false;
    this.probing = true;
    return true;
  }

  /** Like `allow()`, without taking the probe. */
  wouldAllow(): boolean {
    if (!this.isTripped()) return true;
    return this.clock().getTime() >= this.openUntil && !this.probing;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.openUntil = 0;
    this.probing = false;
  }

  /** Returns true when this failure opened (or re-opened) the circuit. */
  recordFailure(): boolean {
    this.failures += 1;
    this.probing = false;
    if (!this.isTripped()) return false;
    this.openUntil = this.clock().getTime() + this.options.cooldownMs;
    return true;
  }

  private isTripped(): boolean {
    return this.failures >= this.options.failureThreshold;
  }
}
