export {
  type ConfigStartReport,
  type ConfigState,
  type ConfigStateStore,
  type JournalConfigStartOptions,
  journalConfigStart,
  memoryConfigState,
  type SettingChange,
  storeConfigState,
} from './config-journal.ts';
export { loggerFromConfig, startupNotes } from './from-config.ts';
export { loggerJournalSink } from './journal-sink.ts';
export { createLogger, type LogFields, type Logger, type LoggerOptions } from './logger.ts';
export { DevelopmentText, developmentText, isSensitiveKey, REDACTED, redact, redactText } from './redact.ts';
export { type EffectiveSettings, effectiveSettings, secretDigest, settingsFingerprint } from './settings.ts';
