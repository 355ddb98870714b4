import type { LogLevel } from '../config/config.ts';
import { DevelopmentText, redact, redactText } from './redact.ts';

/** Numeric order of levels; a message prints when its rank is at least the threshold's. */
const RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Extra structured fields of a log line; redacted before printing. */
export type LogFields = Readonly<Record<string, unknown>>;

/** A component logger. Every field is redacted by construction: callers cannot print a secret by mistake. */
export interface Logger {
  readonly component: string;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** True when `level` would print for this component (to skip building expensive fields). */
  enabled(level: Exclude<LogLevel, 'silent'>): boolean;
  /** A logger for a sub-component (root → `http` → `http.access`); per-component levels match the longest prefix. */
  child(component: string): Logger;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Default threshold. @default 'info' */
  readonly level?: LogLevel;
  /** Per-component thresholds; `http` also covers `http.access`. @default {} */
  readonly components?: Readonly<Record<string, LogLevel>>;
  /** `json` lines or `pretty` text. @default 'json' */
  readonly format?: 'json' | 'pretty';
  /** Where lines go. @default console.log / console.error (warn and error) */
  readonly write?: (line: string, level: Exclude<LogLevel, 'silent'>) => void;
  /** Clock. @default Date.now */
  readonly now?: () => number;
  /** Root component name. @default 'app' */
  readonly component?: string;
  /**
   * Print top-level {@link DevelopmentText} fields whole (the console email sender's links). Only
   * `loggerFromConfig` turns it on, in development; any other logger masks the credentials in them. @default false
   */
  readonly printDevelopmentText?: boolean;
}

function defaultWrite(line: string, level: Exclude<LogLevel, 'silent'>): void {
  if (level === 'warn' || level === 'error') console.error(line);
  else console.log(line);
}

const LEVEL_LABEL = { debug: 'DEBUG', info: 'INFO ', warn: 'WARN ', error: 'ERROR' } as const;

function prettyValue(value: unknown): string {
  if (typeof value === 'string') return /^[\w.:/@*-]*$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

/**
 * Creates the application logger (structured JSON lines, or pretty text for development).
 *
 * @example
 * const log = createLogger({ level: 'info', components: { http: 'warn' } });
 * log.child('http').info('request', { method: 'GET', status: 200 });
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const base = options.level ?? 'info';
  const components = Object.entries(options.components ?? {}).sort((a, b) => b[0].length - a[0].length);
  const format = options.format ?? 'json';
  const write = options.write ?? defaultWrite;
  const now = options.now ?? Date.now;
  const printDevelopmentText = options.printDevelopmentText === true;

  const thresholdFor = (component: string): number => {
    for (const [name, level] of components) {
      if (component === name || component.startsWith(`${name}.`)) return RANK[level];
    }
    return RANK[base];
  };

  const root = options.component ?? 'app';
  const make = (component: string): Logger => {
    const threshold = thresholdFor(component);
    const emit = (level: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields) => {
      if (RANK[level] < threshold) return;
      const time = new Date(now()).toISOString();
      const safe = fields === undefined ? {} : (redact(fields) as Record<string, unknown>);
      if (printDevelopmentText && fields !== undefined) {
        for (const [k, v] of Object.entries(fields)) if (v instanceof DevelopmentText) safe[k] = v.text;
      }
      const msg = redactText(message);
      if (format === 'json') {
        write(JSON.stringify({ time, level, component, msg, ...safe }), level);
        return;
      }
      const extra = Object.entries(safe)
        .map(([k, v]) => `${k}=${prettyValue(v)}`)
        .join(' ');
      write(`${time.slice(11, 23)} ${LEVEL_LABEL[level]} [${component}] ${msg}${extra ? ` ${extra}` : ''}`, level);
    };
    return {
      component,
      debug: (m, f) => emit('debug', m, f),
      info: (m, f) => emit('info', m, f),
      warn: (m, f) => emit('warn', m, f),
      error: (m, f) => emit('error', m, f),
      enabled: (level) => RANK[level] >= threshold,
      child: (name) => make(component === root ? name : `${component}.${name}`),
    };
  };
  return make(root);
}
