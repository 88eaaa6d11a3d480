import { describe, expect, it } from 'vitest';
import { wallClock, zonedInstant } from '../src/schedule/zoned-time.js';

describe('zonedInstant across daylight-saving changes', () => {
  const cases: [string, string, number, number, string][] = [
    // zone, date, hour, minute, expected UTC instant
    ['Europe/Berlin', '2026-03-28', 9, 0, '2026-03-28T08:00:00.000Z'], // CET, the day before
    ['Europe/Berlin', '2026-03-29', 9, 0, '2026-03-29T07:00:00.000Z'], // CEST from 02:00 that night
    ['Europe/Berlin', '2026-03-29', 2, 30, '2026-03-29T01:00:00.000Z'], // 02:30 doesn't exist: runs at 03:00 CEST
    ['Europe/Berlin', '2026-10-25', 2, 30, '2026-10-25T00:30:00.000Z'], // 02:30 happens twice: the first (CEST)
    ['Europe/Berlin', '2026-10-25', 9, 0, '2026-10-25T08:00:00.000Z'], // back on CET
    ['America/New_York', '2026-03-07', 8, 30, '2026-03-07T13:30:00.000Z'], // EST
    ['America/New_York', '2026-03-08', 8, 30, '2026-03-08T12:30:00.000Z'], // EDT
    ['America/New_York', '2026-03-08', 2, 15, '2026-03-08T07:00:00.000Z'], // gap: runs at 03:00 EDT
    ['America/New_York', '2026-11-01', 1, 30, '2026-11-01T05:30:00.000Z'], // twice: first (EDT)
    ['America/New_York', '2026-11-01', 8, 30, '2026-11-01T13:30:00.000Z'], // EST again
    ['Asia/Tokyo', '2026-05-18', 9, 0, '2026-05-18T00:00:00.000Z'], // no DST
    ['Australia/Lord_Howe', '2026-10-04', 2, 15, '2026-10-03T15:30:00.000Z'], // a 30-minute DST jump
    ['UTC', '2026-05-18', 0, 0, '2026-05-18T00:00:00.000Z'],
  ];

  for (const [zone, date, hour, minute, expected] of cases) {
    it(`${zone} ${date} ${hour}:${String(minute).padStart(2, '0')}`, () => {
      expect(zonedInstant(date, hour, minute, zone).toISOString()).toBe(expected);
    });
  }

  it('reads the wall clock in a zone', () => {
    expect(wallClock(new Date('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toEqual({ date: '2026-03-29', hour: 3, minute: 0 });
    expect(wallClock(new Date('2026-05-17T23:30:00Z'), 'Asia/Tokyo')).toEqual({ date: '2026-05-18', hour: 8, minute: 30 });
  });
});
