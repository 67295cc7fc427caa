import { useState } from 'preact/hooks';
import { api, errorMessage } from '../api/client';
import type { SessionResult } from '../api/types';
import { LiveMessage } from '../ui/alert';
import { Field } from '../ui/field';

export function ResetPasswordForm({ email, onDone, onBack }: { email: string; onDone: (r: SessionResult) => void; onBack: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const password = String(form.get('new-password'));
    if (password !== String(form.get('confirm-password'))) {
      setError('The two passwords differ.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onDone(await api.resetPassword(email, String(form.get('code')).trim(), password));
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <>
      <p>
        If <strong>{email}</strong> has an account, we sent it a 6-digit code. Enter it with your new password.
      </p>
      <form onSubmit={submit}>
        <Field id="code" label="6-digit code" required inputMode="numeric" pattern="[0-9]{6}" maxLength={6} autoComplete="one-time-code" />
        <Field id="new-password" label="New password" type="password" required minLength={8} maxLength={128} autoComplete="new-password" hint="At least 8 characters." />
        <Field id="confirm-password" label="Repeat the new password" type="password" required minLength={8} maxLength={128} autoComplete="new-password" />
        <LiveMessage error={error} />
        <button type="submit" class="block" disabled={busy}>
          {busy ? 'Saving…' : 'Save and sign in'}
        </button>
      </form>
      <p class="switch">
        <button type="button" class="link" onClick={onBack}>
          Send another code
        </button>
      </p>
    </>
  );
}
