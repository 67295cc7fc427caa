import { useState } from 'preact/hooks';
import { api, errorMessage } from '../api/client';
import type { SessionResult } from '../api/types';
import { LiveMessage } from '../ui/alert';
import { Field } from '../ui/field';

export function VerifyCodeForm({ email, onVerified, onBack }: { email: string; onVerified: (r: SessionResult) => void; onBack: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const code = String(new FormData(e.currentTarget as HTMLFormElement).get('code')).trim();
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      onVerified(await api.verifyCode(email, code));
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  const resend = async () => {
    setError(null);
    setMessage(null);
    try {
      await api.resendCode(email);
      setMessage(`A new code is on its way to ${email}.`);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <>
      <p>
        We sent a 6-digit code to <strong>{email}</strong>. Enter it below to finish signing up; it is valid for 15 minutes.
      </p>
      <form onSubmit={submit}>
        <Field id="code" label="6-digit code" required inputMode="numeric" pattern="[0-9]{6}" maxLength={6} autoComplete="one-time-code" />
        <LiveMessage error={error} message={message} />
        <button type="submit" class="block" disabled={busy}>
          {busy ? 'Checking…' : 'Verify and continue'}
        </button>
      </form>
      <p class="switch">
        <button type="button" class="link" onClick={resend}>
          Send a new code
        </button>{' '}
        ·{' '}
        <button type="button" class="link" onClick={onBack}>
          Use a different email
        </button>
      </p>
    </>
  );
}
