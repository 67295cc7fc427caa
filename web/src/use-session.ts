import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, errorMessage, setUnauthorizedHandler } from './api/client';
import { adoptTokenFromFragment, clearToken, getToken } from './api/session';
import type { User } from './api/types';

export function goToSignIn(): void {
  const back = location.pathname + location.search;
  location.assign(`/auth/jwt/sign-in?next=${encodeURIComponent(back)}`);
}

export function logout(): void {
  clearToken();
  location.assign('/auth/jwt/sign-in');
}

/** The signed-in user of a dashboard page; without a valid token the browser goes to the sign-in page. */
export function useSession(): { user: User | null; token: string | null; error: string | null } {
  const [user, setUser] = useState<User | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [token] = useState(() => {
    adoptTokenFromFragment();
    return getToken();
  });
  useEffect(() => {
    setUnauthorizedHandler(goToSignIn);
    if (!token) return goToSignIn();
    api
      .me()
      .then(setUser)
      .catch((e) => {
        if (!(e instanceof ApiError && e.status === 401)) setError(errorMessage(e));
      });
  }, [token]);
  return { user, token, error };
}
