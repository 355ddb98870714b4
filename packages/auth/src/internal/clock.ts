import type { Clock } from '@smarter/security';

/** The default clock. */
export const systemClock: Clock = () => Date.now();

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;
