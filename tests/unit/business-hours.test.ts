import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BusinessCalendar } from '../../src/ops/business-hours.ts';

const paris = new BusinessCalendar({ timezone: 'Europe/Paris', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' });
const at = (iso: string): Date => new Date(iso);
const hours = (h: number): number => h * 3600;

describe('business hours', () => {
  it('count only staffed time: an evening report is due the next working morning, a Friday one after the weekend', () => {
    // Monday 2026-11-23, 15:00 in Paris (UTC+1): 2 h left today, 2 h on Tuesday.
    assert.equal(paris.addSeconds(at('2026-11-23T14:00:00Z'), hours(4)).toISOString(), '2026-11-24T10:00:00.000Z');
    // Monday 20:00 Paris: nothing counts until Tuesday 09:00.
    assert.equal(paris.addSeconds(at('2026-11-23T19:00:00Z'), hours(1)).toISOString(), '2026-11-24T09:00:00.000Z');
    // Friday 16:30 Paris, 1 h: 30 min on Friday, 30 min on Monday.
    assert.equal(paris.addSeconds(at('2026-11-27T15:30:00Z'), hours(1)).toISOString(), '2026-11-30T08:30:00.000Z');
    // Saturday: the clock starts on Monday at 09:00.
    assert.equal(paris.addSeconds(at('2026-11-28T10:00:00Z'), 0).toISOString(), '2026-11-30T08:00:00.000Z');
    // Within the day.
    assert.equal(paris.addSeconds(at('2026-11-24T09:00:00Z'), 900).toISOString(), '2026-11-24T09:15:00.000Z');
  });

  it("follow the zone's change of offset", () => {
    // Friday 2026-03-27 16:00 Paris (UTC+1), 3 h: 1 h on Friday, 2 h on Monday 30 March, now UTC+2.
    assert.equal(paris.addSeconds(at('2026-03-27T15:00:00Z'), hours(3)).toISOString(), '2026-03-30T09:00:00.000Z');
  });

  it('span many days: 40 working hours from Monday morning end on Friday evening', () => {
    assert.equal(paris.addSeconds(at('2026-11-23T08:00:00Z'), hours(40)).toISOString(), '2026-11-27T16:00:00.000Z');
  });
});
