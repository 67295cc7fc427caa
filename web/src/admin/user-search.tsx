import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { AdminUser } from '../api/types';
import { formatDate, formatNumber } from '../format';
import { Alert } from '../ui/alert';
import { Empty, Loading } from '../ui/card';
import { useLoadMore } from '../ui/load-more';
import { LoadMoreButton } from '../ui/load-more-button';

/** Search by email prefix or exact id (GET /api/admin/users?query=); an empty box lists every user, newest first. */
export function UserSearch({ query, onSearch, onOpen }: { query: string; onSearch: (q: string) => void; onOpen: (id: string) => void }) {
  const [text, setText] = useState(query);
  const list = useLoadMore<AdminUser>((cursor) => api.searchUsers(query || '', cursor), [query]);

  return (
    <section class="card card-wide" aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      <form
        role="search"
        class="search-row"
        onSubmit={(e) => {
          e.preventDefault();
          onSearch(text.trim());
        }}
      >
        <div class="field grow">
          <label for="user-query">Email or user id</label>
          <input
            id="user-query"
            type="search"
            maxLength={255}
            autoComplete="off"
            placeholder="jane@ or a user id"
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
            aria-describedby="user-query-hint"
          />
          <small id="user-query-hint" class="hint">
            The start of an email address, or a whole user id. Leave it empty to list everyone.
          </small>
        </div>
        <button type="submit">Search</button>
      </form>
      <div aria-live="polite">
        {list.error ? <Alert kind="error">{list.error}</Alert> : null}
        {list.items && !list.loading ? (
          <p class="muted small" data-testid="user-results-count">
            {list.items.length === 0
              ? query
                ? `No user matches “${query}”.`
                : 'There are no users yet.'
              : `${formatNumber(list.items.length)}${list.more ? '+' : ''} ${list.items.length === 1 && !list.more ? 'user' : 'users'}${query ? ` matching “${query}”` : ''}`}
          </p>
        ) : null}
      </div>
      {!list.items && list.loading ? <Loading /> : null}
      {list.items && list.items.length === 0 && !list.loading ? <Empty>Try fewer letters of the email, or paste the full id.</Empty> : null}
      {list.items && list.items.length > 0 ? (
        <ul class="user-list">
          {list.items.map((u) => (
            <li key={u.id}>
              <button type="button" class="user-row" onClick={() => onOpen(u.id)}>
                <span class="user-main">
                  <span class="user-name">{u.name}</span>
                  <span class="muted small break">{u.email}</span>
                </span>
                <span class="user-meta small">
                  {u.role === 'admin' ? <span class="badge">admin</span> : null}
                  {u.flagged ? <span class="badge badge-flagged">flagged</span> : null}
                  <span>
                    {formatNumber(u.points.available)} available · level {u.points.level}
                  </span>
                  <span class="muted">joined {formatDate(u.createdAt)}</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {list.items ? <LoadMoreButton label="users" more={list.more} loading={list.loading} /> : null}
    </section>
  );
}
