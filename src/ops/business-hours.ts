/** When the desk is staffed: days of the week (0 Sunday … 6 Saturday) and hours in a time zone. */
export interface BusinessHours {
  timezone: string;
  days: readonly number[];
  /** "HH:MM", local time. */
  start: string;
  /** "HH:MM", local time, after start. */
  end: string;
}

const DAY_MS = 86_400_000;
const minutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
};

/**
 * Business time in one time zone: deadlines that count only staffed hours.
 * Each local day's window is computed once (through Intl, which knows the
 * zone's offsets and their changes) and kept, so walking many cases over
 * the same days stays cheap. One calendar per scan.
 */
export class BusinessCalendar {
  private readonly windows = new Map<number, readonly [number, number] | null>();
  private readonly parts: Intl.DateTimeFormat;
  private readonly startMin: number;
  private readonly endMin: number;

  constructor(private readonly hours: BusinessHours) {
    this.parts = new Intl.DateTimeFormat('en-US', { timeZone: hours.timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    this.startMin = minutes(hours.start);
    this.endMin = minutes(hours.end);
  }

  /** Local wall-clock time minus UTC at instant t, in ms. */
  private offsetAt(t: number): number {
    const p: Record<string, number> = {};
    for (const x of this.parts.formatToParts(t)) if (x.type !== 'literal') p[x.type] = Number(x.value);
    return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - Math.floor(t / 1000) * 1000;
  }

  /** The UTC instant of a local wall-clock time (day = days since the epoch in local terms, minute of that day). */
  private instant(day: number, minute: number): number {
    const local = day * DAY_MS + minute * 60_000;
    const first = local - this.offsetAt(local);
    const second = local - this.offsetAt(first);
    return second;
  }

  /** The local day (days since the epoch, local calendar) that instant t falls on. */
  private dayOf(t: number): number {
    return Math.floor((t + this.offsetAt(t)) / DAY_MS);
  }

  /** The staffed window of a local day, as UTC instants, or null on a day off. */
  private window(day: number): readonly [number, number] | null {
    let w = this.windows.get(day);
    if (w === undefined) {
      // 1970-01-01 was a Thursday (4).
      const weekday = (((day + 4) % 7) + 7) % 7;
      w = this.hours.days.includes(weekday) ? [this.instant(day, this.startMin), this.instant(day, this.endMin)] : null;
      this.windows.set(day, w);
    }
    return w;
  }

  /** The instant `seconds` of business time after `from`. */
  addSeconds(from: Date, seconds: number): Date {
    let left = seconds * 1000;
    let t = from.getTime();
    // A year of days off cannot hide every working day; the bound keeps a bad config from looping.
    for (let day = this.dayOf(t), n = 0; n < 3660; day++, n++) {
      const w = this.window(day);
      if (!w) continue;
      const begin = Math.max(t, w[0]);
      if (begin >= w[1]) continue;
      if (begin + left <= w[1]) return new Date(begin + left);
      left -= w[1] - begin;
      t = w[1];
    }
    return new Date(t + left);
  }
}
