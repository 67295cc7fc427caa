import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/client';

// Versions name their author by id; a few admins write most of them, so each id is looked up once.
const emails = new Map<string, Promise<string | null>>();

function emailOf(id: string): Promise<string | null> {
  let email = emails.get(id);
  if (!email) {
    email = api.adminUser(id).then(
      (u) => u.email,
      () => null,
    );
    emails.set(id, email);
  }
  return email;
}

/** Who created a version: an admin's email (its id while that loads or if the account is gone), or the configuration. */
export function CreatedBy({ id }: { id: string | null }) {
  const [email, setEmail] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setEmail(null);
    if (id) void emailOf(id).then((e) => live && setEmail(e));
    return () => {
      live = false;
    };
  }, [id]);
  if (!id) return <>the REWARD_* configuration</>;
  return <span class="break">{email ?? <span class="code">{id}</span>}</span>;
}
