import { useState } from 'preact/hooks';
import { UserDetail } from './user-detail';
import { UserSearch } from './user-search';

/** User look-up, then one user's page; the search and its results stay as they were when you go back. */
export function UsersPanel() {
  const [query, setQuery] = useState('');
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <>
      <div hidden={openId !== null}>
        <UserSearch query={query} onSearch={setQuery} onOpen={setOpenId} />
      </div>
      {openId ? <UserDetail
          id={openId}
          onBack={() => {
            setOpenId(null);
            // Back where the admin came from: the search box, with the results under it.
            requestAnimationFrame(() => document.getElementById('user-query')?.focus());
          }}
        /> : null}
    </>
  );
}
