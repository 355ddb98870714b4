/**
 * Test helpers of @smarter/auth: in-memory repositories and a failing-capable store. For tests only; never use them
 * in production (no persistence, no bounds, one process).
 */
export {
  type MemoryAuthRepositoriesOptions,
  memoryAuthRepositories,
} from './memory-repositories.ts';
export { type MemoryTestStore, type MemoryTestStoreOptions, memoryTestStore } from './memory-store.ts';
