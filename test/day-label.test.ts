import { describe, expect, it } from 'vitest';
import { addDays, formatDayLabel } from '../src/time.js';

describe('day labels', () => {
  it('label each day as itself, asked once or again, past the number kept', () => {
    expect(formatDayLabel('2026-05-12')).toBe('Tue 12 May');
    expect(formatDayLabel('2026-05-18')).toBe('Mon 18 May');
    expect(formatDayLabel('2026-05-12')).toBe('Tue 12 May');
    let day = '2020-01-01';
    for (let i = 0; i < 1_500; i++, day = addDays(day, 1)) formatDayLabel(day);
    expect(formatDayLabel('2026-05-18')).toBe('Mon 18 May');
    expect(formatDayLabel('2024-02-29')).toBe('Thu 29 Feb');
    expect(() => formatDayLabel('2026-13-45')).toThrow(RangeError);
  });
});
