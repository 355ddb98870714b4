import type { Clock } from '@smarter/security';

/** Options shared by the repository factories. */
export interface RepositoryOptions {
  /** Clock for created/updated times. @default Date.now */
  readonly now?: Clock;
}
