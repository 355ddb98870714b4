/** @jsxImportSource hono/jsx */
import { Badge, Card, EmptyState, formatDate, PageHeader } from '../components.tsx';
import { AppLayout } from '../layout.tsx';
import type { JournalEventView, PageContext } from '../types.ts';

/** Props of {@link JournalPage}. */
export interface JournalPageProps {
  readonly ctx: PageContext;
  readonly events: readonly JournalEventView[];
  readonly types: readonly string[];
  readonly filter: { readonly type?: string | undefined; readonly principal?: string | undefined };
  readonly nextCursor?: string | undefined;
}

const TONE = {
  debug: 'gray',
  info: 'blue',
  notice: 'violet',
  warning: 'amber',
  error: 'red',
  critical: 'red',
} as const;

/** The audit journal (admins): filters and the latest events. */
export function JournalPage(props: JournalPageProps) {
  const { ctx, events, filter } = props;
  return (
    <AppLayout title="Journal" ctx={ctx} section="journal">
      <PageHeader title="Journal" subtitle="Every security decision, append-only and hash-chained." />
      <Card>
        <form method="get" action="/journal" class="filters">
          <label class="field">
            <span>Type</span>
            <select name="type">
              <option value="">All types</option>
              {props.types.map((t) => (
                <option value={t} selected={t === filter.type}>
                  {t}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            <span>Principal</span>
            <input name="principal" value={filter.principal ?? ''} placeholder="user or key id" />
          </label>
          <button type="submit" class="btn btn-secondary">
            Filter
          </button>
        </form>
        {events.length === 0 ? (
          <EmptyState title="No events">Nothing matches these filters.</EmptyState>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Event</th>
                  <th scope="col">Principal</th>
                  <th scope="col">Request</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <tr>
                    <td class="muted nowrap">{formatDate(e.time)}</td>
                    <td>
                      <Badge tone={TONE[e.severity]}>{e.type}</Badge>
                    </td>
                    <td>{e.principal ? <code>{e.principal}</code> : <span class="muted">—</span>}</td>
                    <td>
                      {e.method ? (
                        <code>
                          {e.method} {e.path} {e.status ? `→ ${e.status}` : ''}
                        </code>
                      ) : (
                        <span class="muted">—</span>
                      )}
                    </td>
                    <td class="muted">{e.reason ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {props.nextCursor ? (
          <div class="pager">
            <a class="btn btn-ghost btn-sm" href={`/journal?cursor=${encodeURIComponent(props.nextCursor)}`}>
              Older events →
            </a>
          </div>
        ) : null}
      </Card>
    </AppLayout>
  );
}
