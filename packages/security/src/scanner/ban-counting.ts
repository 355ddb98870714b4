import type { Context } from 'hono';
import { type FailMode, journalEvent, positiveInt, resolveFailMode, storeFailure } from '../internal/guard.ts';
import type { Journal } from '../journal/journal.ts';
import type { Store } from '../store/store.ts';
import { memoryStore } from '../stores/memory/memory-store.ts';
import { type BanList, createBanList } from './ban-list.ts';

/** The options every guard that counts offences per client and bans shares (scanner and sensitive-file guards). */
export interface BanCountingOptions {
  readonly store?: Store;
  readonly bans?: BanList;
  readonly threshold?: number;
  readonly windowMs?: number;
  readonly banMs?: number;
  readonly failMode?: FailMode;
  readonly journal?: Journal;
}

/** {@link BanCountingOptions} after validation. */
export interface ResolvedBanCounting {
  readonly store: Store;
  readonly bans: BanList;
  readonly threshold: number;
  readonly windowMs: number;
  readonly banMs: number;
  readonly failMode: FailMode;
  readonly journal: Journal | undefined;
}

/**
 * Validates the counting and ban options of `guard`: one store (in memory by default) and a ban list on it, whole
 * positive thresholds and windows (10 minutes by default), fail mode closed by default. Throws a config error naming
 * the guard and the option.
 */
export function resolveBanCounting(
  guard: string,
  options: BanCountingOptions,
  defaultThreshold: number,
): ResolvedBanCounting {
  const store = options.store ?? memoryStore();
  return {
    store,
    bans: options.bans ?? createBanList({ store }),
    threshold: positiveInt(guard, 'threshold', options.threshold, defaultThreshold),
    windowMs: positiveInt(guard, 'windowMs', options.windowMs, 600_000),
    banMs: positiveInt(guard, 'banMs', options.banMs, 600_000),
    failMode: resolveFailMode(guard, options.failMode),
    journal: options.journal,
  };
}

/**
 * Bans a client that reached the threshold and journals `scanner.banned` with `reason`. When the store fails, answers
 * as the guard's fail mode says: the refusal to send, or undefined (open) to carry on.
 */
export async function banOffender(
  c: Context,
  o: ResolvedBanCounting,
  guard: string,
  offence: { readonly key: string; readonly path: string; readonly count: number; readonly reason: string },
): Promise<Response | undefined> {
  try {
    const until = await o.bans.ban(offence.key, o.banMs);
    journalEvent(o.journal, c, {
      type: 'scanner.banned',
      severity: 'warning',
      clientKey: offence.key,
      path: offence.path,
      reason: offence.reason,
      details: { count: offence.count, until: new Date(until).toISOString() },
    });
    return undefined;
  } catch {
    return storeFailure(c, o.journal, guard, offence.key, o.failMode);
  }
}
