import { InvalidArgumentError } from 'commander';
import { parseChannelRef, type ChannelRef } from '../channel.js';
import { isIsoDay } from '../time.js';

/** Commander argument parsers: bad values become usage errors (exit 2) with a short message. */
export function dayOption(value: string): string {
  if (!isIsoDay(value)) throw new InvalidArgumentError('expected a date as YYYY-MM-DD.');
  return value;
}

export function positiveIntOption(max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < 1 || n > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}.`);
    return n;
  };
}

export function offsetOption(value: string): number {
  if (!/^\d{1,6}$/.test(value)) throw new InvalidArgumentError('expected a whole number ≥ 0.');
  return Number(value);
}

export function channelOption(value: string): ChannelRef {
  const ref = parseChannelRef(value);
  if (!ref) throw new InvalidArgumentError('expected slack:C0123ABC or discord:123456789012345678.');
  return ref;
}
