/** Waiting, injectable so tests can record the waits asked for instead of sitting through them. */
export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
