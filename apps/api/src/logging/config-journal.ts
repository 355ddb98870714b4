import type { Journal, Store } from '@smarter/security';
import type { AppConfig } from '../config/config.ts';
import { type EffectiveSettings, effectiveSettings, settingsFingerprint } from './settings.ts';

/** What is remembered between starts to detect configuration changes. */
export interface ConfigState {
  readonly fingerprint: string;
  readonly settings: EffectiveSettings;
  /** ISO time of the start that saved it. */
  readonly savedAt: string;
}

/**
 * Persists the previous start's settings (port). Implementations: memory (here), any security `Store`
 * (`storeConfigState`), and later the data package's kv table. Rejects when storage is down.
 */
export interface ConfigStateStore {
  load(): Promise<ConfigState | undefined>;
  save(state: ConfigState): Promise<void>;
}

/** A {@link ConfigStateStore} in memory (tests, one-process tools). */
export function memoryConfigState(initial?: ConfigState): ConfigStateStore {
  let state = initial;
  return {
    load: async () => state,
    save: async (next) => {
      state = next;
    },
  };
}

/** A {@link ConfigStateStore} over a security `Store` (memory, Redis, SQL), under one key without expiry. */
export function storeConfigState(store: Store, key: string = 'smarter:config:state'): ConfigStateStore {
  return {
    async load() {
      const raw = await store.get(key);
      if (raw === undefined) return undefined;
      try {
        const parsed = JSON.parse(raw) as ConfigState;
        return typeof parsed.fingerprint === 'string' && typeof parsed.settings === 'object' ? parsed : undefined;
      } catch {
        return undefined;
      }
    },
    save: (state) => store.set(key, JSON.stringify(state)),
  };
}

/** One setting that differs from the previous start (values already masked). */
export interface SettingChange {
  readonly setting: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** Options of {@link journalConfigStart}. */
export interface JournalConfigStartOptions {
  readonly config: AppConfig;
  readonly journal: Journal;
  readonly state: ConfigStateStore;
  /** Clock. @default Date.now */
  readonly now?: () => number;
}

/** What {@link journalConfigStart} found. */
export interface ConfigStartReport {
  readonly fingerprint: string;
  readonly settings: EffectiveSettings;
  /** Empty on the first start and when nothing changed. */
  readonly changes: readonly SettingChange[];
}

function diff(before: EffectiveSettings, after: EffectiveSettings): SettingChange[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names
    .filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]))
    .map((setting) => ({ setting, before: before[setting] ?? null, after: after[setting] ?? null }));
}

/**
 * Journals `config.loaded` with the effective settings (secrets masked) and, when they differ from the previous
 * start, `config.changed` with each changed setting; then remembers this start (Smarter's "logging of
 * configuration changes").
 *
 * @example
 * await journalConfigStart({ config, journal, state: storeConfigState(store) });
 */
export async function journalConfigStart(options: JournalConfigStartOptions): Promise<ConfigStartReport> {
  const { config, journal, state } = options;
  const now = options.now ?? Date.now;
  const settings = await effectiveSettings(config);
  const fingerprint = await settingsFingerprint(settings);
  const previous = await state.load();
  journal.emit({
    type: 'config.loaded',
    severity: 'info',
    reason: 'START',
    details: { fingerprint, settings },
  });
  const changes = previous && previous.fingerprint !== fingerprint ? diff(previous.settings, settings) : [];
  if (changes.length > 0) {
    journal.emit({
      type: 'config.changed',
      severity: 'notice',
      reason: 'SETTINGS_CHANGED',
      details: { fingerprint, previousFingerprint: previous?.fingerprint, changes },
    });
  }
  if (!previous || previous.fingerprint !== fingerprint) {
    await state.save({ fingerprint, settings, savedAt: new Date(now()).toISOString() });
  }
  return { fingerprint, settings, changes };
}
