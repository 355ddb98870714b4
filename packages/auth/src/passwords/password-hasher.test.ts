import { describe, expect, it } from 'vitest';
import { resolveScryptOptions, scryptEngine } from '../password-node/scrypt-engine.ts';
import { createPasswordHasher, parsePasswordHash } from './password-hasher.ts';
import { PBKDF2_MAX_ITERATIONS, pbkdf2Engine, resolvePbkdf2Options } from './pbkdf2-engine.ts';

describe('PBKDF2 engine (Workers)', () => {
  it('defaults to and never exceeds the 100,000-iteration Workers ceiling', () => {
    expect(PBKDF2_MAX_ITERATIONS).toBe(100_000);
    expect(resolvePbkdf2Options().iterations).toBe(100_000);
    expect(pbkdf2Engine().params).toEqual({ i: 100_000 });
    expect(() => resolvePbkdf2Options({ iterations: 100_001 })).toThrow(/100000/);
    expect(() => resolvePbkdf2Options({ iterations: 9_999 })).toThrow(/10000/);
  });

  it('hashes to the self-describing format and verifies', async () => {
    const hasher = createPasswordHasher({ engine: pbkdf2Engine() });
    const hash = await hasher.hash('correct horse battery staple');
    expect(hash).toMatch(/^\$pbkdf2-sha256\$i=100000\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await hasher.verify('correct horse battery staple', hash)).toEqual({ ok: true, needsRehash: false });
    expect(await hasher.verify('correct horse battery stapl', hash)).toEqual({ ok: false, needsRehash: false });
    expect(await hasher.hash('same')).not.toBe(await hasher.hash('same'));
  });

  it('refuses to hash absurdly long input and never verifies it', async () => {
    const hasher = createPasswordHasher({ engine: pbkdf2Engine({ iterations: 10_000 }), maxInputLength: 100 });
    const hash = await hasher.hash('x'.repeat(100));
    await expect(hasher.hash('x'.repeat(101))).rejects.toMatchObject({ code: 'PASSWORD_TOO_LONG', status: 400 });
    expect(await hasher.verify('x'.repeat(101), hash)).toEqual({ ok: false, needsRehash: false });
  });

  it('refuses stored hashes with parameters above the ceiling instead of running them', async () => {
    const hasher = createPasswordHasher({ engine: pbkdf2Engine({ iterations: 10_000 }) });
    const hash = await hasher.hash('pw');
    await expect(hasher.verify('pw', hash.replace('i=10000', 'i=5000000'))).rejects.toThrow(/iterations/);
  });
});

describe('scrypt engine (Node, Bun, Deno)', () => {
  it('validates parameters', () => {
    expect(resolveScryptOptions()).toEqual({ ln: 14, r: 8, p: 1 });
    expect(() => resolveScryptOptions({ ln: 10 })).toThrow(/ln 14-20/);
    expect(() => resolveScryptOptions({ ln: 20, r: 32 })).toThrow();
  });

  it('hashes, verifies, and says when to rehash older engines and parameters', async () => {
    const legacy = createPasswordHasher({ engine: pbkdf2Engine({ iterations: 10_000 }) });
    const oldHash = await legacy.hash('hunter2 hunter2');
    const hasher = createPasswordHasher({ engine: scryptEngine(), legacyEngines: [pbkdf2Engine()] });
    const hash = await hasher.hash('hunter2 hunter2');
    expect(hash.startsWith('$scrypt$ln=14,r=8,p=1$')).toBe(true);
    expect(await hasher.verify('hunter2 hunter2', hash)).toEqual({ ok: true, needsRehash: false });
    expect(await hasher.verify('hunter3 hunter3', hash)).toEqual({ ok: false, needsRehash: false });
    expect(await hasher.verify('hunter2 hunter2', oldHash)).toEqual({ ok: true, needsRehash: true });
    expect(hasher.needsRehash(hash)).toBe(false);
    expect(hasher.needsRehash(hash.replace('r=8', 'r=4'))).toBe(true);
    expect(await hasher.verifyDummy('anything')).toBe(false);
  });

  it('never verifies unknown algorithms or malformed strings', async () => {
    const hasher = createPasswordHasher({ engine: pbkdf2Engine({ iterations: 10_000 }) });
    for (const bad of ['', 'plain', '$md5$x$y$z', '$pbkdf2-sha256$i=10000$!!$!!', 'pbkdf2_sha256$260000$salt$hash']) {
      expect(await hasher.verify('pw', bad)).toEqual({ ok: false, needsRehash: false });
    }
    expect(parsePasswordHash('$pbkdf2-sha256$i=10000$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA')).toMatchObject({
      algorithm: 'pbkdf2-sha256',
      params: { i: 10000 },
    });
  });
});
