import type { Secret } from '@smarter/security';
import type { AppConfig } from '../config/config.ts';
import type { ManifestExecutor, ManifestLookup } from '../manifests/plan.ts';

/** What the CLI reads and writes: injected so commands are tested without a terminal. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** All of standard input (for `--password-stdin`). */
  readStdin(): Promise<string>;
  /** Asks on the terminal; `hidden` does not echo. Undefined when there is no terminal. */
  prompt?(question: string, hidden: boolean): Promise<string>;
  readFile(path: string): Promise<string>;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A created key, shown once. */
export interface CreatedKey {
  readonly id: string;
  readonly key: Secret;
  readonly name: string;
  readonly scopes: readonly string[];
  readonly expiresAt: string;
}

/** A listed key (never the secret). */
export interface ListedKey {
  readonly id: string;
  readonly name: string;
  readonly user: string;
  readonly lastFour: string;
  readonly scopes: readonly string[];
  readonly expiresAt: string;
  readonly active: boolean;
}

/** A listed agent. */
export interface ListedAgent {
  readonly name: string;
  readonly hostname: string;
  readonly deployed: boolean;
  readonly provider: string;
  readonly model: string;
}

/** A journal line for `journal tail`. */
export interface JournalLine {
  readonly time: string;
  readonly type: string;
  readonly severity: string;
  readonly principal?: string | undefined;
  readonly path?: string | undefined;
  readonly reason?: string | undefined;
}

/**
 * The services commands run against (ports). The entry wires what exists; a command whose service is missing
 * says so and exits 3. `config` is loaded lazily so a bad configuration is reported as a clear error.
 */
/** An OAuth link as the CLI shows it. */
export interface ListedOAuthLink {
  readonly provider: string;
  readonly subject: string;
  readonly user: string;
  readonly createdAt: string;
}

export interface CliServices {
  readonly config: () => AppConfig;
  readonly migrate?: () => Promise<{ readonly driver: string; readonly schema: string | null }>;
  readonly users?: {
    createSuperuser(email: string, password: Secret): Promise<{ readonly id: string }>;
  };
  readonly keys?: {
    create(input: {
      user: string;
      name: string;
      scopes: readonly string[];
      expiresInMs: number;
      agents: readonly string[];
    }): Promise<CreatedKey>;
    list(user?: string): Promise<ListedKey[]>;
    revoke(id: string): Promise<boolean>;
  };
  /** Which provider accounts sign in as which user (OAuth links, SPEC §15); the only way to link an admin. */
  readonly oauthLinks?: {
    list(user: string): Promise<ListedOAuthLink[]>;
    link(input: { user: string; provider: string; subject: string }): Promise<ListedOAuthLink>;
    unlink(provider: string, subject: string): Promise<boolean>;
  };
  /** Agents of the account of `user` (an email). */
  readonly agents?: {
    create(input: {
      user: string;
      name: string;
      provider: 'echo' | 'openai';
      model?: string | undefined;
      deployed: boolean;
    }): Promise<ListedAgent>;
    list(user: string): Promise<ListedAgent[]>;
    deploy(user: string, name: string, deployed: boolean): Promise<ListedAgent | undefined>;
  };
  readonly journal?: {
    tail(options: { limit: number; type?: string | undefined }): Promise<JournalLine[]>;
    verify(): Promise<{ readonly ok: boolean; readonly checked: number; readonly brokenAt?: string | undefined }>;
  };
  readonly manifests?: { readonly lookup: ManifestLookup; readonly executor: ManifestExecutor };
}
