/** @jsxImportSource hono/jsx */
import { Badge, Card, formatDate, PageHeader, PostForm } from '../components.tsx';
import { AppLayout } from '../layout.tsx';
import type { AgentView, Flash, PageContext } from '../types.ts';

/** Props of {@link AgentPage}. */
export interface AgentPageProps {
  readonly ctx: PageContext;
  readonly agent: AgentView;
  /** Where the chat box posts (JSON, with the CSRF header). */
  readonly chatEndpoint: string;
  readonly flash?: Flash | undefined;
}

/** One agent: its host, settings, a curl example and a chat box. */
export function AgentPage(props: AgentPageProps) {
  const { ctx, agent } = props;
  const curl = `curl https://${agent.hostname}/api/v1/chat \\
  -H "Authorization: Token $SMARTER_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"messages":[{"role":"user","content":"Hello"}]}'`;
  return (
    <AppLayout title={agent.name} ctx={ctx} section="agents" flash={props.flash}>
      <nav class="breadcrumbs" aria-label="Breadcrumb">
        <a href="/">Agents</a> <span aria-hidden="true">/</span> <span>{agent.name}</span>
      </nav>
      <PageHeader title={agent.name} subtitle={agent.description || 'No description'}>
        {agent.deployed ? <Badge tone="green">Deployed</Badge> : <Badge tone="gray">Draft</Badge>}
        <PostForm action={`/agents/${agent.name}/deploy`} csrfToken={ctx.csrfToken}>
          <input type="hidden" name="deployed" value={agent.deployed ? 'false' : 'true'} />
          <button type="submit" class={agent.deployed ? 'btn btn-secondary' : 'btn btn-primary'}>
            {agent.deployed ? 'Undeploy' : 'Deploy'}
          </button>
        </PostForm>
      </PageHeader>
      <div class="grid-2">
        <Card title="Chat" class="chat-card">
          <div class="chat-log" id="chat-log" aria-live="polite">
            <div class="bubble bubble-agent">Hi! I am {agent.name}. Ask me anything.</div>
          </div>
          <form class="chat-form" data-chat={props.chatEndpoint} data-log="chat-log">
            <label class="sr-only" for="chat-input">
              Message
            </label>
            <input
              id="chat-input"
              name="message"
              autocomplete="off"
              placeholder="Write a message…"
              required
              maxlength={32000}
            />
            <button type="submit" class="btn btn-primary">
              Send
            </button>
          </form>
        </Card>
        <div class="stack">
          <Card title="Endpoint">
            <dl class="details">
              <dt>Hostname</dt>
              <dd>
                <code id="agent-host">{agent.hostname}</code>
                <br />
                <button type="button" class="btn btn-ghost btn-sm" data-copy="agent-host">
                  Copy
                </button>
              </dd>
              <dt>Provider</dt>
              <dd>
                {agent.provider} · {agent.model}
              </dd>
              <dt>API key</dt>
              <dd>{agent.requireKey ? 'Required' : 'Optional'}</dd>
              <dt>Allowed origins</dt>
              <dd>
                {agent.allowedOrigins.length === 0 ? (
                  <span class="muted">None (server-to-server only)</span>
                ) : (
                  agent.allowedOrigins.map((o) => <code class="chip">{o}</code>)
                )}
              </dd>
              <dt>Created</dt>
              <dd>{formatDate(agent.createdAt)}</dd>
            </dl>
          </Card>
          <Card title="Call it from your terminal">
            <pre class="code" id="curl-example">
              <code>{curl}</code>
            </pre>
            <button type="button" class="btn btn-ghost btn-sm" data-copy="curl-example">
              Copy command
            </button>
          </Card>
          <Card title="Danger zone" class="danger">
            <PostForm
              action={`/agents/${agent.name}/delete`}
              csrfToken={ctx.csrfToken}
              confirm={`Delete ${agent.name}? Its hostname stops answering at once.`}
            >
              <button type="submit" class="btn btn-danger">
                Delete agent
              </button>
            </PostForm>
          </Card>
        </div>
      </div>
    </AppLayout>
  );
}
