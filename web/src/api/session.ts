// The access token lives in memory and in sessionStorage (gone with the tab), never in localStorage.
const KEY = 'accessToken';
let token: string | null = readStored();

function readStored(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function getToken(): string | null {
  return token;
}

export function setToken(value: string): void {
  token = value;
  try {
    sessionStorage.setItem(KEY, value);
  } catch {
    // Storage can be disabled; the token still lives for this page.
  }
}

export function clearToken(): void {
  token = null;
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}

/** Google's callback hands the token over in the URL fragment (`#accessToken=`): take it and drop it from the address bar. */
export function adoptTokenFromFragment(): void {
  const match = /(?:^#|&)accessToken=([^&]+)/.exec(location.hash);
  if (!match) return;
  setToken(decodeURIComponent(match[1]));
  history.replaceState(null, '', location.pathname + location.search);
}

/** An opaque device id the server uses against self-referral (API.md: "the dashboard keeps in local storage"); not a credential. */
export function deviceId(): string {
  try {
    let id = localStorage.getItem('deviceId');
    if (!id) {
      id = crypto.randomUUID();
      localStorage.setItem('deviceId', id);
    }
    return id;
  } catch {
    return 'no-storage';
  }
}
