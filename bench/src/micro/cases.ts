// The micro-benchmarks. Each case finds the exports it needs at run time and says "not available yet" when the code
// it measures has not landed, so the harness runs at every stage of the project.
import * as security from '@smarter/security';
import type { Operation } from './measure.ts';
import { NAIVE_SENSITIVE_REGEXES, PATH_MIX } from './paths.ts';

/** A prepared case: the operation, plus facts worth printing next to the timing. */
export interface Prepared {
  readonly op: Operation;
  /** A slow operation (tens of ms): timed call by call in wall time, no batching. */
  readonly slow?: boolean;
  readonly notes?: readonly string[];
  /** Extra figures (e.g. memory per entry) for the table. */
  readonly extra?: Readonly<Record<string, string>>;
  /** Called after measuring (close databases). */
  readonly dispose?: () => Promise<void> | void;
}

/** A micro-benchmark. */
export interface MicroCase {
  readonly id: string;
  readonly group: string;
  readonly label: string;
  /** Prepares the operation, or returns why it cannot run yet. */
  prepare(): Promise<Prepared | string>;
}

type Exports = Record<string, unknown>;
const sec = security as Exports;

/** Finds a function export by one of its possible names. */
export function findFunction<T>(module: Exports, ...names: string[]): T | undefined {
  for (const name of names) if (typeof module[name] === 'function') return module[name] as T;
  return undefined;
}

function missing(pkg: string, names: string[]): string {
  return `not available yet: ${pkg} exports no ${names.join(' / ')}`;
}

type Canonicalize = (raw: string) => { ok: boolean; path?: string };
type SensitiveMatcher = (path: string) => unknown;
type CompileMatcher = (patterns: readonly unknown[]) => SensitiveMatcher;

function pathMatcher(): { canonicalize: Canonicalize; match: SensitiveMatcher } | string {
  const canonicalize = findFunction<Canonicalize>(sec, 'canonicalizePath', 'canonicalisePath');
  if (!canonicalize) return missing('@smarter/security', ['canonicalizePath']);
  const compile = findFunction<CompileMatcher>(sec, 'compileSensitiveMatcher');
  const patterns = sec['SENSITIVE_PATTERNS'];
  if (!compile || !Array.isArray(patterns))
    return missing('@smarter/security', ['compileSensitiveMatcher + SENSITIVE_PATTERNS']);
  return { canonicalize, match: compile(patterns) };
}

const pathCases: MicroCase[] = [
  {
    id: 'path-canonical-match',
    group: 'Path guards',
    label: 'canonicalise + sensitive match (shipped list, mixed paths)',
    async prepare() {
      const m = pathMatcher();
      if (typeof m === 'string') return m;
      const hits = PATH_MIX.filter((p) => {
        const c = m.canonicalize(p);
        return !c.ok || m.match(c.path!) !== undefined;
      }).length;
      return {
        op: (i) => {
          const c = m.canonicalize(PATH_MIX[i % PATH_MIX.length]!);
          return c.ok ? m.match(c.path!) : c;
        },
        notes: [`${PATH_MIX.length} paths, ${hits} rejected or matched`],
      };
    },
  },
  {
    id: 'path-canonical',
    group: 'Path guards',
    label: 'canonicalise only',
    async prepare() {
      const canonicalize = findFunction<Canonicalize>(sec, 'canonicalizePath', 'canonicalisePath');
      if (!canonicalize) return missing('@smarter/security', ['canonicalizePath']);
      return { op: (i) => canonicalize(PATH_MIX[i % PATH_MIX.length]!) };
    },
  },
  {
    id: 'path-regex-shipped',
    group: 'Path guards',
    label: 'reference: canonicalise, then one regex per shipped pattern',
    async prepare() {
      const canonicalize = findFunction<Canonicalize>(sec, 'canonicalizePath', 'canonicalisePath');
      const patterns = sec['SENSITIVE_PATTERNS'] as readonly { kind: string; value: string }[] | undefined;
      if (!canonicalize || !Array.isArray(patterns)) return missing('@smarter/security', ['SENSITIVE_PATTERNS']);
      const esc = (v: string) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const regexes = patterns.map((p) => {
        const v = esc(p.value.toLowerCase());
        if (p.kind === 'extension') return new RegExp(`\\.${v}(?:/|$)`);
        if (p.kind === 'prefix') return new RegExp(`(?:^|/)${v}[^/]*(?:/|$)`);
        if (p.kind === 'suffix') return new RegExp(`${v}(?:/|$)`);
        return new RegExp(`(?:^|/)${v}(?:/|$)`);
      });
      return {
        op: (i) => {
          const c = canonicalize(PATH_MIX[i % PATH_MIX.length]!);
          if (!c.ok) return c;
          for (const re of regexes) if (re.test(c.path!)) return re;
          return undefined;
        },
        notes: [`${regexes.length} regexes: what the precompiled matcher replaces`],
      };
    },
  },
  {
    id: 'path-regex-loop',
    group: 'Path guards',
    label: 'reference: a loop of regexes on the raw path (Smarter-style)',
    async prepare() {
      return {
        op: (i) => {
          const path = PATH_MIX[i % PATH_MIX.length]!;
          for (const re of NAIVE_SENSITIVE_REGEXES) if (re.test(path)) return re;
          return undefined;
        },
        notes: [`${NAIVE_SENSITIVE_REGEXES.length} regexes`],
      };
    },
  },
];

type ResolveClient = (facts: unknown, trust: unknown, header: 'x-forwarded-for' | 'forwarded') => unknown;
type ResolveTrust = (trusted: readonly string[] | number) => unknown;

const identityCases: MicroCase[] = [
  {
    id: 'client-ip',
    group: 'Client identity',
    label: 'client IP from X-Forwarded-For behind a trusted proxy',
    async prepare() {
      const resolveClient = findFunction<ResolveClient>(sec, 'resolveClient');
      const resolveTrust = findFunction<ResolveTrust>(sec, 'resolveTrust');
      if (!resolveClient || !resolveTrust) return missing('@smarter/security', ['resolveClient + resolveTrust']);
      const trust = resolveTrust(['10.0.0.0/8', '127.0.0.1/32']);
      const chains = ['203.0.113.7', '198.51.100.23, 10.0.0.2', '2001:db8::1, 10.1.2.3', '::ffff:192.0.2.9'];
      const facts = chains.map((xff) => ({
        peer: '127.0.0.1',
        urlScheme: 'http',
        hostHeader: 'api.example.com',
        header: (name: string) => (name === 'x-forwarded-for' ? xff : undefined),
      }));
      return { op: (i) => resolveClient(facts[i % facts.length], trust, 'x-forwarded-for') };
    },
  },
  {
    id: 'client-ip-direct',
    group: 'Client identity',
    label: 'client IP from the peer address (no proxy)',
    async prepare() {
      const resolveClient = findFunction<ResolveClient>(sec, 'resolveClient');
      const resolveTrust = findFunction<ResolveTrust>(sec, 'resolveTrust');
      if (!resolveClient || !resolveTrust) return missing('@smarter/security', ['resolveClient + resolveTrust']);
      const trust = resolveTrust(0);
      const facts = {
        peer: '::ffff:203.0.113.7',
        urlScheme: 'http',
        hostHeader: 'api.example.com',
        header: () => undefined,
      };
      return { op: () => resolveClient(facts, trust, 'x-forwarded-for') };
    },
  },
];

interface CsrfTokens {
  issue(binding: string): Promise<{ cookie: string; secret: Uint8Array }>;
  open(cookie: string, binding: string): Promise<Uint8Array | undefined>;
  mask(secret: Uint8Array): string;
  matches(token: string, secret: Uint8Array): boolean;
}

const csrfCases: MicroCase[] = [
  {
    id: 'csrf-verify',
    group: 'CSRF and CSP',
    label: 'CSRF token verification (cookie signature + masked token)',
    async prepare() {
      const csrfTokens = findFunction<(keys: readonly string[]) => CsrfTokens>(sec, 'csrfTokens');
      if (!csrfTokens) return missing('@smarter/security', ['csrfTokens']);
      const tokens = csrfTokens(['bench-secret-key-0123456789abcdef0123456789abcdef']);
      const binding = 'session-hash-4b7d0c1e';
      const { cookie, secret } = await tokens.issue(binding);
      const masked = tokens.mask(secret);
      const check = await tokens.open(cookie, binding);
      if (!check || !tokens.matches(masked, check)) return 'CSRF token did not verify in the set-up (check the API)';
      return {
        op: async () => {
          const s = await tokens.open(cookie, binding);
          if (!s || !tokens.matches(masked, s)) throw new Error('CSRF token rejected');
        },
      };
    },
  },
  {
    id: 'csp-build',
    group: 'CSRF and CSP',
    label: 'CSP header of an HTML response (template joined with a fresh nonce)',
    async prepare() {
      const buildCsp = findFunction<(d: unknown) => string[]>(sec, 'buildCsp');
      if (!buildCsp || !sec['HTML_CSP']) return missing('@smarter/security', ['buildCsp + HTML_CSP']);
      const template = buildCsp(sec['HTML_CSP']);
      const bytes = new Uint8Array(16);
      return {
        op: () => {
          crypto.getRandomValues(bytes);
          return template.join(btoa(String.fromCharCode(...bytes)));
        },
        notes: ['the directives are validated and serialised once at construction; this is the per-request part'],
      };
    },
  },
];

interface StoreLike {
  increment(key: string, windowMs: number): Promise<unknown>;
  readonly size?: number;
}

/** The memory store's factory, when the package has it. */
function memoryStoreFactory(): ((o: { maxEntries: number }) => StoreLike) | undefined {
  return findFunction<(o: { maxEntries: number }) => StoreLike>(sec, 'memoryStore', 'createMemoryStore');
}

function storeCase(size: number): MicroCase {
  return {
    id: `memory-store-${size}`,
    group: 'Memory store',
    label: `memory store, increment on ${size.toLocaleString('en-US')} live keys`,
    async prepare() {
      const memoryStore = memoryStoreFactory();
      if (!memoryStore) return missing('@smarter/security', ['memoryStore']);
      globalThis.gc?.();
      const before = process.memoryUsage().rss;
      const store = memoryStore({ maxEntries: size });
      const key = (n: number) => `ip:203.0.${(n >>> 8) & 255}.${n & 255}:${n}`;
      for (let n = 0; n < size; n++) await store.increment(key(n), 600_000);
      globalThis.gc?.();
      const grown = process.memoryUsage().rss - before;
      // 10% more distinct keys than the cap: the store must evict, never grow past it.
      for (let n = size; n < size + size / 10; n++) await store.increment(key(n), 600_000);
      const capHeld = store.size === undefined ? 'unknown' : store.size <= size ? 'yes' : `no (${store.size})`;
      let x = 0x9e3779b9;
      return {
        op: () => {
          x = (x * 1103515245 + 12345) >>> 0;
          return store.increment(key(size / 10 + (x % size)), 600_000);
        },
        extra: {
          'RSS growth': `${(grown / 2 ** 20).toFixed(0)} MB`,
          'bytes/entry': `${Math.round(grown / size)}`,
          'cap held after 110% of it': capHeld,
        },
      };
    },
  };
}

/** Entries of the turnover case: the memory store's default cap. */
export const TURNOVER_SIZE = 100_000;

/** A case that turns a bounded structure of `size` over three times, then measures one new key per operation. */
function turnoverCase(id: string, what: string, size: number, prepare: MicroCase['prepare']): MicroCase {
  return {
    id,
    group: 'Memory store',
    label: `${what}, a new key each time, ${size.toLocaleString('en-US')} cap turned over 3 times`,
    prepare,
  };
}

/**
 * A stream of new clients past the cap: every operation a key never seen (an insert that evicts), after the stream has
 * already turned the table over three times. What a flood from fresh addresses costs the store per request.
 */
function storeTurnoverCase(): MicroCase {
  return turnoverCase('memory-store-turnover', 'memory store', TURNOVER_SIZE, async () => {
    const memoryStore = memoryStoreFactory();
    if (!memoryStore) return missing('@smarter/security', ['memoryStore']);
    const store = memoryStore({ maxEntries: TURNOVER_SIZE });
    const key = (n: number) => `ip:198.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}:${n}`;
    let n = 0;
    for (; n < 4 * TURNOVER_SIZE; n++) await store.increment(key(n), 600_000);
    const capHeld = store.size === undefined ? 'unknown' : store.size <= TURNOVER_SIZE ? 'yes' : `no (${store.size})`;
    return {
      op: () => store.increment(key(n++), 600_000),
      extra: { 'cap held': capHeld },
    };
  });
}

interface ExpiryCacheLike {
  get(key: string, now: number): number | undefined;
  remember(key: string, value: number, expiresAt: number, now: number): void;
}

/** Facts of the expiry-cache case: the cap of the ban list's, the rate limiter's and the shard choice's caches. */
const EXPIRY_CACHE_SIZE = 10_000;

/**
 * The in-process cache of facts with an end (bans and over-limit clients seen in a shared store, Durable Object
 * shard choices, key uses journaled): a new fact each time, after a stream of them has turned it over three times.
 */
function expiryCacheTurnoverCase(): MicroCase {
  return turnoverCase('expiry-cache-turnover', 'expiry cache', EXPIRY_CACHE_SIZE, async () => {
    const make = findFunction<(max: number) => ExpiryCacheLike>(sec, 'expiryCache');
    if (!make) return missing('@smarter/security', ['expiryCache']);
    const cache = make(EXPIRY_CACHE_SIZE);
    const key = (n: number) => `ban:198.51.${(n >>> 8) & 255}.${n & 255}:${n}`;
    let n = 0;
    for (; n < 4 * EXPIRY_CACHE_SIZE; n++) cache.remember(key(n), 1, 1e15, 0);
    return {
      op: () => {
        cache.remember(key(n++), 1, 1e15, 0);
        return undefined;
      },
    };
  });
}

/** The memory-store cases for the configured sizes, and the turnover cases. */
export function storeCases(sizes: readonly number[]): MicroCase[] {
  return [...sizes.map(storeCase), storeTurnoverCase(), expiryCacheTurnoverCase()];
}

/** Key verification cases are provided by the key module (they need a database). */
export const SECURITY_CASES: readonly MicroCase[] = [...pathCases, ...identityCases, ...csrfCases];
