/**
 * What goes first when Beds24 credits are short: closing availability and bookings before rates before
 * full resyncs. `reserve` is how many credits must be left after a call of that priority, so lower
 * priorities stop early and leave the last credits of a window to the higher ones.
 */
export const PRIORITIES = ['critical', 'high', 'normal', 'low'] as const;
export type Beds24Priority = (typeof PRIORITIES)[number];

export const DEFAULT_RESERVES: Record<Beds24Priority, number> = { critical: 0, high: 2, normal: 5, low: 10 };

export function priorityRank(priority: Beds24Priority): number {
  return PRIORITIES.indexOf(priority);
}

/** The most urgent of these priorities. */
export function mostUrgent(first: Beds24Priority, ...others: Beds24Priority[]): Beds24Priority {
  return others.reduce((most, next) => (priorityRank(next) < priorityRank(most) ? next : most), first);
}
