/**
 * What /healthz and /readyz report for each moving part. `failed` makes the process unhealthy (a supervisor
 * should restart it); anything but `ready` makes it unready (a load balancer should route elsewhere).
 */
export type ComponentState = 'starting' | 'ready' | 'reconnecting' | 'failed' | 'stopped' | 'off';

export interface ComponentHealth {
  state: ComponentState;
  /** Mode, address or what went wrong; never a secret. */
  detail?: string;
}

/** A component's state that its owner updates as it goes; read on every probe. */
export class HealthCell {
  private current: ComponentHealth;

  constructor(state: ComponentState = 'starting', detail?: string) {
    this.current = detail === undefined ? { state } : { state, detail };
  }

  set(state: ComponentState, detail?: string): void {
    this.current = detail === undefined ? { state } : { state, detail };
  }

  get(): ComponentHealth {
    return this.current;
  }
}
