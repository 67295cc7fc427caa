import { useState } from 'preact/hooks';
import { api, errorMessage } from '../api/client';
import type { User } from '../api/types';
import { config } from '../config';
import { LiveMessage } from '../ui/alert';
import { Card } from '../ui/card';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { CopyButton } from '../ui/copy-button';

export function ReferralLinkCard({ user }: { user: User }) {
  const [code, setCode] = useState(user.referralCode);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const url = code ? `${config.publicUrl}/r/${code}` : null;

  const generate = async () => {
    setBusy(true);
    setError(null);
    try {
      setCode((await api.generateReferralCode()).code);
      setConfirming(false);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const share = async () => {
    try {
      await navigator.share({ title: 'Join me', text: 'Sign up with my link and we both earn points.', url: url! });
    } catch {
      // The user closed the share sheet.
    }
  };

  return (
    <Card title="Your referral link" id="referral-link">
      {url ? (
        <>
          <p class="hint">Friends who sign up with it and make a purchase earn you both points.</p>
          <div class="copy-row">
            <input id="referral-url" aria-label="Referral link" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
            <CopyButton text={url} />
          </div>
          <div class="actions">
            {'share' in navigator ? (
              <button type="button" class="secondary" onClick={share}>
                Share
              </button>
            ) : null}
            <a class="button secondary" href={`mailto:?subject=${encodeURIComponent('Join me')}&body=${encodeURIComponent(url)}`}>
              Share by email
            </a>
            <button type="button" class="link" onClick={() => setConfirming(true)}>
              Replace with a new link
            </button>
          </div>
        </>
      ) : (
        <>
          <p>You have no referral link yet.</p>
          <button type="button" onClick={generate} disabled={busy}>
            Create my link
          </button>
        </>
      )}
      <LiveMessage error={error} />
      {confirming ? (
        <ConfirmDialog title="Replace your link?" confirmLabel="Replace it" danger busy={busy} onConfirm={generate} onCancel={() => setConfirming(false)}>
          <p>Your current link stops working at once; people who already signed up with it stay yours.</p>
        </ConfirmDialog>
      ) : null}
    </Card>
  );
}
