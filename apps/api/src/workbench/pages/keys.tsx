/** @jsxImportSource hono/jsx */
import { Badge, Card, EmptyState, formatDate, PageHeader, PostForm } from '../components.tsx';
import { AppLayout } from '../layout.tsx';
import type { Flash, KeyView, PageContext } from '../types.ts';

/** Props of {@link KeysPage}. */
export interface KeysPageProps {
  readonly ctx: PageContext;
  readonly keys: readonly KeyView[];
  /** A key just created: shown this once. */
  readonly created?: { readonly name: string; readonly key: string } | undefined;
  readonly flash?: Flash | undefined;
}

const SCOPE_CHOICES: readonly (readonly [string, string])[] = [
  ['chat', 'Chat with agents'],
  ['agents:read', 'Read agents'],
  ['agents:write', 'Manage agents'],
  ['keys:read', 'Read keys'],
  ['uploads:write', 'Upload files'],
];

/** API keys: create (shown once), list, revoke. */
export function KeysPage(props: KeysPageProps) {
  const { ctx, keys } = props;
  return (
    <AppLayout title="API keys" ctx={ctx} section="keys" flash={props.flash}>
      <PageHeader
        title="API keys"
        subtitle="Keys authenticate scripts and agents. Each key is shown once, when created."
      />
      {props.created ? (
        <section class="callout" aria-labelledby="new-key-title">
          <h2 id="new-key-title">Copy your new key “{props.created.name}” now</h2>
          <p class="muted">It will not be shown again. Store it in a secret manager.</p>
          <div class="secret-row">
            <code id="new-key" class="secret">
              {props.created.key}
            </code>
            <button type="button" class="btn btn-primary btn-sm" data-copy="new-key">
              Copy
            </button>
          </div>
        </section>
      ) : null}
      <Card title="Your keys" class="section">
        {keys.length === 0 ? (
          <EmptyState title="No keys yet">Create a key to call the API or chat with an agent.</EmptyState>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key</th>
                  <th scope="col">Scopes</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Expires</th>
                  <th scope="col">
                    <span class="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {keys.map((k) => (
                  <tr class={k.active ? undefined : 'inactive'}>
                    <td class="strong">{k.name}</td>
                    <td>
                      <code>••••{k.lastFour}</code>
                    </td>
                    <td>
                      {k.scopes.length === 0 ? (
                        <span class="muted">all of yours</span>
                      ) : (
                        k.scopes.map((s) => <Badge tone="blue">{s}</Badge>)
                      )}
                    </td>
                    <td class="muted nowrap">{formatDate(k.lastUsedAt)}</td>
                    <td class="muted nowrap">{formatDate(k.expiresAt)}</td>
                    <td class="right">
                      {k.active ? (
                        <PostForm
                          action={`/keys/${k.id}/revoke`}
                          csrfToken={ctx.csrfToken}
                          confirm={`Revoke ${k.name}? Requests using it fail at once.`}
                        >
                          <button type="submit" class="btn btn-danger-ghost btn-sm">
                            Revoke
                          </button>
                        </PostForm>
                      ) : (
                        <Badge tone="red">Revoked</Badge>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <Card title="Create a key">
        <PostForm action="/keys" csrfToken={ctx.csrfToken} class="form-grid">
          <label class="field">
            <span>Name</span>
            <input name="name" required maxlength={100} placeholder="ci-deploy" />
          </label>
          <fieldset class="field field-wide">
            <legend>Scopes</legend>
            <div class="checks">
              {SCOPE_CHOICES.map(([value, label]) => (
                <label class="check">
                  <input type="checkbox" name="scopes" value={value} checked={value === 'chat'} />
                  <span>
                    {label} <code class="small">{value}</code>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
          <label class="field">
            <span>Expires in</span>
            <select name="expiresIn">
              <option value="30d">30 days</option>
              <option value="90d">90 days</option>
              <option value="365d" selected>
                1 year
              </option>
            </select>
          </label>
          <button type="submit" class="btn btn-primary">
            Create key
          </button>
        </PostForm>
      </Card>
    </AppLayout>
  );
}
