import { InvalidArgumentError } from 'commander';
import { PLATFORMS } from '../../adapters/index.js';
import { channelRefParser, type ChannelRef } from '../channel.js';
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

const parseChannel = channelRefParser(PLATFORMS);

export function channelOption(value: string): ChannelRef {
  const ref = parseChannel(value);
  if (!ref) throw new InvalidArgumentError(`expected ${PLATFORMS.filter((p) => !p.fallback).map((p) => `${p.name}:<channel id>`).join(' or ')}.`);
  return ref;
}
