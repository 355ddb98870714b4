import type { Context } from 'hono';
import { type FailMode, guardProblem, journalEvent, storeFailure } from '../internal/guard.ts';
import { existingRequestState, requestState } from '../internal/request-state.ts';
import { isThenable } from '../internal/thenable.ts';
import type { Journal } from '../journal/journal.ts';
import type { BanList } from './ban-list.ts';

/** Process-wide count of refused requests, only for sampling `ban.rejected` events (never request data). */
let rejected = 0;

/** True when a guard already checked this request against the ban list. */
export function isBanChecked(c: Context): boolean {
  return existingRequestState(c)?.banChecked === true;
}

/** Status of the answer to a banned client. */
export type BanStatus = 403 | 429;

/**
 * Answers a banned client before routing; undefined lets the request go on. Runs at most once per request even when
 * several guards share the list. Rejections are journaled as `ban.rejected`, sampled (first, then every 100th per
 * process) so a flood cannot flood the journal. Synchronous when the store answers in-process.
 */
export function enforceBan(
  c: Context,
  bans: BanList,
  key: string,
  canonicalPath: string,
  journal: Journal | undefined,
  failMode: FailMode,
  status: BanStatus,
  guard: string,
): Response | undefined | Promise<Response | undefined> {
  const state = requestState(c);
  if (state.banChecked) return undefined;
  state.banChecked = true;
  if (bans.isExempt(canonicalPath)) return undefined;
  let until: number | undefined | PromiseLike<number | undefined>;
  try {
    until = bans.lookup ? bans.lookup(key) : bans.bannedUntil(key);
  } catch {
    return storeFailure(c, journal, guard, key, failMode);
  }
  if (isThenable(until)) {
    return Promise.resolve(until).then(
      (u) => answerBanned(c, bans, key, canonicalPath, journal, status, u),
      () => storeFailure(c, journal, guard, key, failMode),
    );
  }
  return answerBanned(c, bans, key, canonicalPath, journal, status, until);
}

function answerBanned(
  c: Context,
  bans: BanList,
  key: string,
  canonicalPath: string,
  journal: Journal | undefined,
  status: BanStatus,
  until: number | undefined,
): Response | undefined {
  if (until === undefined) return undefined;
  const retryAfter = Math.max(1, Math.ceil((until - bans.now()) / 1000));
  rejected = (rejected + 1) % 100;
  if (rejected === 1) {
    journalEvent(journal, c, {
      type: 'ban.rejected',
      severity: 'info',
      clientKey: key,
      path: canonicalPath,
      status,
      reason: 'CLIENT_BANNED',
      details: { sampledOneIn: 100 },
    });
  }
  return guardProblem(c, status, 'CLIENT_BANNED', 'Too many suspicious requests', {
    'retry-after': String(retryAfter),
  });
}
