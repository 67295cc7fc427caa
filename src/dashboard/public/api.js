// Shared by the dashboard pages: the token in localStorage and JSON calls with API.md's error shape.
window.api = {
  token: () => localStorage.getItem('accessToken'),
  setToken: (t) => localStorage.setItem('accessToken', t),
  logout: () => { localStorage.removeItem('accessToken'); location.href = '/auth/jwt/sign-up'; },
  deviceId: () => {
    let id = localStorage.getItem('deviceId');
    if (!id) { id = crypto.randomUUID(); localStorage.setItem('deviceId', id); }
    return id;
  },
  async call(method, path, body, extraHeaders) {
    const headers = { 'X-Device-Id': api.deviceId(), ...(extraHeaders || {}) };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (api.token()) headers.Authorization = `Bearer ${api.token()}`;
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
    const data = res.status === 204 ? null : await res.json().catch(() => null);
    if (!res.ok) {
      const message = Array.isArray(data?.message) ? data.message.join('; ') : data?.message || res.statusText;
      throw Object.assign(new Error(message), { status: res.status, code: data?.code });
    }
    return data;
  },
};
window.esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
