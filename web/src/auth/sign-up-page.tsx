import { useState } from 'preact/hooks';
import { api, errorMessage } from '../api/client';
import { setToken } from '../api/session';
import { Alert, LiveMessage } from '../ui/alert';
import { Field } from '../ui/field';
import { reasonText } from '../referral-reasons';
import { AuthShell, GoogleButton } from './auth-shell';
import { VerifyCodeForm } from './verify-code-form';

/** Sign-up in steps: the form, then the code we mailed, then the dashboard. `?ref=` pre-fills the invitation. */
export function SignUpPage() {
  const ref = (new URLSearchParams(location.search).get('ref') ?? '').trim().toUpperCase().slice(0, 255);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const email = String(form.get('email')).trim();
    const referralCode = String(form.get('referralCode') ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      await api.signUp({
        name: String(form.get('name')).trim(),
        email,
        password: String(form.get('password')),
        ...(referralCode ? { referralCode } : {}),
      });
      setSentTo(email);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  if (sentTo) {
    return (
      <AuthShell title="Check your email" step="code">
        <VerifyCodeForm
          email={sentTo}
          onVerified={(result) => {
            setToken(result.accessToken);
            if (result.referral && result.referral.status !== 'pending') {
              sessionStorage.setItem('signupNotice', signupNotice(result.referral.status, result.referral.reasons));
            }
            location.assign('/dashboard/account/points');
          }}
          onBack={() => setSentTo(null)}
        />
      </AuthShell>
    );
  }

  return (
    <AuthShell title="Create your account" step="form">
      {ref ? (
        <Alert kind="info">
          You were invited with the code <strong class="code">{ref}</strong>. Sign up to join, and you both earn points on your first purchase.
        </Alert>
      ) : null}
      <form onSubmit={submit} aria-describedby="sign-up-error" noValidate={false}>
        <Field id="name" label="Your name" required maxLength={100} autoComplete="name" />
        <Field id="email" label="Email" type="email" required maxLength={255} autoComplete="email" />
        <Field id="password" label="Password" type="password" required minLength={8} maxLength={128} autoComplete="new-password" hint="At least 8 characters." />
        <Field id="referralCode" label="Referral code (optional)" defaultValue={ref} maxLength={255} autoComplete="off" autoCapitalize="characters" />
        <div id="sign-up-error">
          <LiveMessage error={error} />
        </div>
        <button type="submit" class="block" disabled={busy}>
          {busy ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      <GoogleButton />
      <p class="switch">
        Already have an account? <a href="/auth/jwt/sign-in">Sign in</a>
      </p>
    </AuthShell>
  );
}

/** What the new user is told, once, on the dashboard when the invitation did not simply count. */
function signupNotice(status: string, reasons: string[]): string {
  const why = reasons.length ? ` (${reasons.map(reasonText).join('; ')})` : '';
  return status === 'rejected'
    ? `Welcome! The invitation code could not be counted for this account${why}; your account works as usual.`
    : `Welcome! Your invitation is being checked${why}; any first-purchase bonus waits until it is approved.`;
}
