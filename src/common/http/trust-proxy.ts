/** Express `trust proxy` from TRUST_PROXY: true/false, a hop count, or names/addresses (e.g. `loopback`). */
export function parseTrustProxy(value: string | undefined): boolean | number | string | string[] {
  if (value === undefined) return false;
  const v = value.trim();
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}
