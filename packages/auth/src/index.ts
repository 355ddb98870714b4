export { type KeyRing, type ParseKeyRingOptions, parseKeyRing } from './keys/key-ring.ts';
