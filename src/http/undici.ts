import type * as Undici from 'undici';

// undici is loaded with the first request: a CLI call answered from the store (most searches) never needs it,
// and it costs ~0.1 s to load.
let undiciModule: Promise<typeof Undici> | null = null;

export const loadUndici = (): Promise<typeof Undici> => (undiciModule ??= import('undici'));
