export { WORKBENCH_CSS } from './assets/css.ts';
export { WORKBENCH_JS } from './assets/js.ts';
export { Badge, Card, CsrfField, EmptyState, FlashMessage, formatDate, PageHeader, PostForm } from './components.tsx';
export { AppLayout, Document, type NavSection } from './layout.tsx';
export { AgentPage, type AgentPageProps } from './pages/agent.tsx';
export { DashboardPage, type DashboardPageProps } from './pages/dashboard.tsx';
export { JournalPage, type JournalPageProps } from './pages/journal.tsx';
export { KeysPage, type KeysPageProps } from './pages/keys.tsx';
export { LoginPage, type LoginPageProps } from './pages/login.tsx';
export { PasswordPage, type PasswordPageProps } from './pages/password.tsx';
export type { NewAgentInput, NewKeyInput, WorkbenchPorts, WorkbenchSessionUser } from './ports.ts';
export { safeNext, type WorkbenchRoutesOptions, workbenchRoutes } from './routes.tsx';
export { workbenchStaticRoutes } from './static-routes.ts';
export type {
  AgentView,
  Flash,
  JournalEventView,
  KeyView,
  OAuthProviderView,
  PageContext,
  WorkbenchUser,
} from './types.ts';
