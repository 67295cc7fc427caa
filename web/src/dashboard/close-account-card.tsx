import { useState } from 'preact/hooks';
import { api, ApiError, errorMessage } from '../api/client';
import { clearToken } from '../api/session';
import { LiveMessage } from '../ui/alert';
import { Card } from '../ui/card';
import { ConfirmDialog } from '../ui/confirm-dialog';

export function CloseAccountCard() {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const close = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.closeAccount();
      clearToken();
      location.assign('/auth/jwt/sign-in?closed=1');
    } catch (e) {
      setConfirming(false);
      setBusy(false);
      setError(e instanceof ApiError && e.status === 404 ? 'Closing an account is not available on this server yet.' : errorMessage(e));
    }
  };

  return (
    <Card title="Close your account" id="close-account" wide>
      <p class="hint">Your points and referral link stop working, and your name and email are removed. This cannot be undone.</p>
      <button type="button" class="danger-outline" onClick={() => setConfirming(true)}>
        Close my account
      </button>
      <LiveMessage error={error} />
      {confirming ? (
        <ConfirmDialog title="Close your account?" confirmLabel="Close my account" danger busy={busy} onConfirm={close} onCancel={() => setConfirming(false)}>
          <p>You lose your points and your referral link at once. This cannot be undone.</p>
        </ConfirmDialog>
      ) : null}
    </Card>
  );
}
