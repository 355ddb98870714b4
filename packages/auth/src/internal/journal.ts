import type { Journal } from '@smarter/security';

/** A journal that drops every event (used when the caller configures none). */
export const silentJournal: Journal = { emit() {} };
