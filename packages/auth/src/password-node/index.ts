/** scrypt through `node:crypto` for Node, Bun and Deno. Never import this on Workers: use `pbkdf2Engine()`. */
export { resolveScryptOptions, type ScryptEngineOptions, scryptEngine } from './scrypt-engine.ts';
