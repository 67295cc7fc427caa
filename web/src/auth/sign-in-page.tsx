import { useState } from 'preact/hooks';
import { api, ApiError, errorMessage } from '../api/client';
import { setToken } from '../api/session';
import type { SessionResult } from '../api/types';
import { Alert, LiveMessage } from '../ui/alert';
import { Field } from '../ui/field';
import { afterSignIn, AuthShell, GoogleButton } from './auth-shell';
import { ResetPasswordForm } from './reset-password-form';

type Step = { name: 'sign-in' } | { name: 'forgot' } | { name: 'reset'; email: string };

export function SignInPage() {
  const [step, setStep] = useState<Step>({ name: 'sign-in' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [email, setEmail] = useState('');

  const enter = (result: SessionResult) => {
    setToken(result.accessToken);
    location.assign(afterSignIn());
  };

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const go = (next: Step) => {
    setError(null);
    setStep(next);
  };

  if (step.name === 'forgot') {
    return (
      <AuthShell title="Reset your password" step="forgot">
        <p>Enter your account’s email. If it has an account, we mail it a 6-digit code.</p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              try {
                await api.forgotPassword(email.trim());
              } catch (err) {
                if (err instanceof ApiError && err.status === 404) throw new Error('Password reset is not available on this server yet.');
                throw err;
              }
              go({ name: 'reset', email: email.trim() });
            });
          }}
        >
          <Field id="email" label="Email" type="email" required maxLength={255} autoComplete="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          <LiveMessage error={error} />
          <button type="submit" class="block" disabled={busy}>
            {busy ? 'Sending…' : 'Send the code'}
          </button>
        </form>
        <p class="switch">
          <button type="button" class="link" onClick={() => go({ name: 'sign-in' })}>
            Back to sign in
          </button>
        </p>
      </AuthShell>
    );
  }

  if (step.name === 'reset') {
    return (
      <AuthShell title="Choose a new password" step="reset">
        <ResetPasswordForm email={step.email} onDone={enter} onBack={() => go({ name: 'forgot' })} />
      </AuthShell>
    );
  }

  return (
    <AuthShell title="Sign in" step="sign-in">
      {new URLSearchParams(location.search).has('closed') ? <Alert kind="info">Your account has been closed.</Alert> : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const password = String(new FormData(e.currentTarget).get('password'));
          void run(async () => enter(await api.login(email.trim(), password)));
        }}
      >
        <Field id="email" label="Email" type="email" required maxLength={255} autoComplete="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        <Field id="password" label="Password" type="password" required maxLength={128} autoComplete="current-password" />
        <LiveMessage error={error} />
        <button type="submit" class="block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p class="switch">
        <button type="button" class="link" onClick={() => go({ name: 'forgot' })}>
          Forgot your password?
        </button>
      </p>
      <GoogleButton />
      <p class="switch">
        New here? <a href="/auth/jwt/sign-up">Create an account</a>
      </p>
    </AuthShell>
  );
}
