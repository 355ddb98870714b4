// API key verification micro-benchmark: median µs per verification with a warm cache (target < 5 µs on Node)
// and with a cold cache (every call: repository lookup + HMAC-SHA-256 + constant-time compare; in-memory repositories).
// Run: pnpm --filter @smarter/auth bench (Node, through tsx), or bun/deno run with the source condition.
import { createApiKeyService, generateApiKey, parseKeyRing } from '@smarter/auth';
import { memoryAuthRepositories, memoryTestStore } from '@smarter/auth/testing';
import { microsPerCall, runtimeName } from './stats.ts';

const repositories = memoryAuthRepositories();
const store = memoryTestStore();
const keyRing = parseKeyRing('k1:4f1c9a7e2b8d6053f1e9c7a5b3d1f0e2');
const account = await repositories.accounts.create({ number: '1234-5678-9012', name: 'bench' });
const user = await repositories.users.create({
  accountId: account.id,
  email: 'bench@example.com',
  role: 'member',
  active: true,
  emailVerified: true,
  passwordHash: null,
});

const warm = createApiKeyService({ repositories, store, keyRing, cacheTtlMs: 60_000 });
const cold = createApiKeyService({ repositories, store, keyRing, cacheTtlMs: 0 });
const { token } = await warm.issue(user, { name: 'bench' });
// A well-formed key whose id does not exist: must cost about the same as a known key (dummy HMAC + compare).
const unknown = generateApiKey().token;

const check = await warm.verify(token);
if (!check.ok) throw new Error('bench key does not verify');

const results = {
  runtime: runtimeName(),
  warmCacheMedianMicros: await microsPerCall(() => warm.verify(token)),
  coldCacheMedianMicros: await microsPerCall(() => cold.verify(token), 100, 200),
  unknownIdMedianMicros: await microsPerCall(() => cold.verify(unknown), 100, 200),
};
console.log(JSON.stringify({ bench: 'auth.key-verify', ...results, at: new Date().toISOString() }));
