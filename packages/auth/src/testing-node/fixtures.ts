import { createJournal, type MemorySink, memorySink } from '@smarter/security';
import { fakeClock } from '@smarter/security/testing';
import { generateAccountNumber } from '../accounts/account-number.ts';
import type { KeyRing } from '../keys/key-ring.ts';
import { parseKeyRing } from '../keys/key-ring.ts';
import type { AccountRecord, AuthRepositories, Role, UserRecord } from '../ports.ts';
import { memoryAuthRepositories } from '../testing/memory-repositories.ts';
import { type MemoryTestStore, memoryTestStore } from '../testing/memory-store.ts';

/** Test-only: strong, fixed ring keys. */
export const RING_SOURCE = 'k2:4f1c9a7e2b8d6053f1e9c7a5b3d1f0e2, k1:9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d';

/** Everything a test of the services needs, wired to one fake clock. */
export interface World {
  readonly clock: { now: () => number; advance: (ms: number) => void };
  readonly repos: AuthRepositories;
  readonly store: MemoryTestStore;
  readonly ring: KeyRing;
  readonly sink: MemorySink;
  readonly journal: ReturnType<typeof createJournal>;
}

/** A fresh world. */
export function world(): World {
  const clock = fakeClock();
  const sink = memorySink();
  return {
    clock,
    repos: memoryAuthRepositories({ now: clock.now }),
    store: memoryTestStore({ now: clock.now }),
    ring: parseKeyRing(RING_SOURCE),
    sink,
    journal: createJournal({ sinks: [sink], now: clock.now }),
  };
}

/** Creates an account with one user of `role`. */
export async function seedUser(
  repos: AuthRepositories,
  email: string,
  role: Role = 'member',
  account?: AccountRecord,
): Promise<{ account: AccountRecord; user: UserRecord }> {
  const acc = account ?? (await repos.accounts.create({ number: generateAccountNumber(), name: email }));
  const user = await repos.users.create({
    accountId: acc.id,
    email,
    role,
    active: true,
    emailVerified: true,
    passwordHash: null,
  });
  return { account: acc, user };
}
