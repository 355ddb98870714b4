/** Plain view models of the workbench pages: routes fill them from the repositories; tests from sample data. */

/** The signed-in user, as the layout shows it. */
export interface WorkbenchUser {
  readonly email: string;
  readonly role: 'superuser' | 'admin' | 'member';
  readonly accountName: string;
  readonly accountNumber: string;
}

/** What every page needs from the request. */
export interface PageContext {
  /** The per-request CSP nonce; every `<script>` and `<style>` carries it. */
  readonly nonce: string;
  /** The masked CSRF token for forms (`csrfmiddlewaretoken`) and `<meta name="csrf-token">`. */
  readonly csrfToken: string;
  /** `SMARTER_STATIC_URL`. */
  readonly staticUrl: string;
  readonly user?: WorkbenchUser | undefined;
}

/** A notice shown at the top of a page. */
export interface Flash {
  readonly kind: 'success' | 'error' | 'info';
  readonly message: string;
}

export interface AgentView {
  readonly name: string;
  readonly description: string;
  readonly hostname: string;
  readonly deployed: boolean;
  readonly provider: string;
  readonly model: string;
  readonly requireKey: boolean;
  readonly allowedOrigins: readonly string[];
  /** ISO time. */
  readonly createdAt: string;
}

export interface KeyView {
  readonly id: string;
  readonly name: string;
  readonly lastFour: string;
  readonly scopes: readonly string[];
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly lastUsedAt: string | null;
  readonly active: boolean;
}

export interface JournalEventView {
  readonly id: string;
  readonly time: string;
  readonly type: string;
  readonly severity: 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'critical';
  readonly principal?: string | undefined;
  readonly method?: string | undefined;
  readonly path?: string | undefined;
  readonly status?: number | undefined;
  readonly reason?: string | undefined;
}

/** An OAuth provider button on the login page. */
export interface OAuthProviderView {
  readonly id: 'google' | 'github' | 'linkedin';
  readonly label: string;
  /** Where the button goes (a GET that starts the flow). */
  readonly href: string;
}
