// Password hashing time per engine on this runtime: median ms of one hash (target 50-250 ms for scrypt on Node).
import { createPasswordHasher, pbkdf2Engine } from '@smarter/auth';
import { median, runtimeName } from './stats.ts';

async function time(label: string, hash: () => Promise<string>, runs = 7): Promise<[string, number]> {
  await hash();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await hash();
    samples.push(performance.now() - start);
  }
  return [label, Number(median(samples).toFixed(1))];
}

const entries: [string, number][] = [];
const g = globalThis as { process?: unknown; Bun?: unknown; Deno?: unknown };
if (g.process || g.Bun || g.Deno) {
  const { scryptEngine } = await import('@smarter/auth/password-node');
  const scrypt = createPasswordHasher({ engine: scryptEngine() });
  entries.push(await time('scrypt ln=14 r=8 p=1', () => scrypt.hash('correct horse battery staple')));
}
const pbkdf2 = createPasswordHasher({ engine: pbkdf2Engine() });
entries.push(await time('pbkdf2-sha256 i=100000', () => pbkdf2.hash('correct horse battery staple')));
console.log(
  JSON.stringify({
    bench: 'auth.password-hash',
    runtime: runtimeName(),
    medianMs: Object.fromEntries(entries),
    at: new Date().toISOString(),
  }),
);
