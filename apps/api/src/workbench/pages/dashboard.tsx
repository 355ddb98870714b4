/** @jsxImportSource hono/jsx */
import { Badge, Card, EmptyState, PageHeader, PostForm } from '../components.tsx';
import { AppLayout } from '../layout.tsx';
import type { AgentView, Flash, PageContext } from '../types.ts';

/** Props of {@link DashboardPage}. */
export interface DashboardPageProps {
  readonly ctx: PageContext;
  readonly agents: readonly AgentView[];
  readonly apiDomain?: string | undefined;
  readonly flash?: Flash | undefined;
}

/** The home page: the account's agents and a form to create one. */
export function DashboardPage(props: DashboardPageProps) {
  const { ctx, agents } = props;
  const deployed = agents.filter((a) => a.deployed).length;
  return (
    <AppLayout title="Agents" ctx={ctx} section="agents" flash={props.flash}>
      <PageHeader title="Agents" subtitle="Each deployed agent answers on its own hostname, protected end to end." />
      <div class="stats">
        <div class="stat">
          <span class="stat-value">{agents.length}</span>
          <span class="muted">agents</span>
        </div>
        <div class="stat">
          <span class="stat-value">{deployed}</span>
          <span class="muted">deployed</span>
        </div>
        <div class="stat">
          <span class="stat-value">{agents.length - deployed}</span>
          <span class="muted">drafts</span>
        </div>
      </div>
      <Card title="Your agents" class="section">
        {agents.length === 0 ? (
          <EmptyState title="No agents yet">Create your first agent with the form on this page.</EmptyState>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Hostname</th>
                  <th scope="col">Model</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {agents.map((a) => (
                  <tr>
                    <td class="cell-name">
                      <a class="strong nowrap" href={`/agents/${a.name}`}>
                        {a.name}
                      </a>
                      <div class="muted small">{a.description || 'No description'}</div>
                    </td>
                    <td>
                      <code class="host">{a.hostname}</code>
                    </td>
                    <td class="nowrap">
                      {a.provider} · <span class="muted">{a.model}</span>
                    </td>
                    <td>{a.deployed ? <Badge tone="green">Deployed</Badge> : <Badge tone="gray">Draft</Badge>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <Card title="New agent">
        <PostForm action="/agents" csrfToken={ctx.csrfToken} class="form-grid">
          <label class="field field-wide">
            <span>Name</span>
            <input
              name="name"
              required
              pattern="[a-z][a-z0-9\-]*[a-z0-9]"
              minlength={2}
              maxlength={63}
              placeholder="support-bot"
            />
            <span class="hint">
              Lower-case letters, digits and hyphens; it becomes{' '}
              <code>
                name.{ctx.user?.accountNumber ?? 'account'}.{props.apiDomain ?? 'api-domain'}
              </code>
            </span>
          </label>
          <label class="field field-wide">
            <span>Description</span>
            <input name="description" maxlength={500} placeholder="Answers customer questions" />
          </label>
          <label class="field">
            <span>Provider</span>
            <select name="provider">
              <option value="echo">Echo (offline)</option>
              <option value="openai">OpenAI-compatible</option>
            </select>
          </label>
          <label class="check">
            <input type="checkbox" name="deployed" value="true" />
            <span>Deploy now</span>
          </label>
          <button type="submit" class="btn btn-primary">
            Create agent
          </button>
        </PostForm>
      </Card>
    </AppLayout>
  );
}
