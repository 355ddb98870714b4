import { COMMON_PASSWORDS_PACKED } from './common-passwords.gen.ts';

let loaded: Promise<ReadonlySet<string>> | undefined;

async function unpack(): Promise<ReadonlySet<string>> {
  const binary = atob(COMMON_PASSWORDS_PACKED);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  const text = await new Response(stream).text();
  const set = new Set<string>();
  let previous = '';
  for (const line of text.split('\n')) {
    const shared = Number.parseInt(line[0] as string, 36);
    previous = previous.slice(0, shared) + line.slice(1);
    set.add(previous);
  }
  return set;
}

/**
 * Django's common-password list (19,727 distinct lower-cased entries of its 20,000-line file), decoded once on first
 * use with `DecompressionStream` and kept for the life of the process.
 */
export function commonPasswords(): Promise<ReadonlySet<string>> {
  loaded ??= unpack().catch((error: unknown) => {
    loaded = undefined;
    throw error;
  });
  return loaded;
}
