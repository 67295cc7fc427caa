// Numbers and dates in the browser's locale.
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const shortDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

export const formatNumber = (n: number): string => integer.format(n);
export const formatPercent = (ratio: number): string => percent.format(ratio);
export const formatDateTime = (iso: string): string => dateTime.format(new Date(iso));
export const formatDate = (iso: string): string => date.format(new Date(iso));
/** A UTC day such as `2026-11-21` (the analytics buckets), as "Nov 21". */
export const formatDay = (day: string): string => shortDay.format(new Date(`${day}T00:00:00Z`));

export function formatMoney(cents: number, currency = 'USD'): string {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(cents / 100);
}

export function signed(n: number): string {
  return n > 0 ? `+${formatNumber(n)}` : formatNumber(n);
}

const plurals = new Intl.PluralRules('en');
/** `count` and the English noun in the right number: "1 referral", "2 referrals". */
export function countOf(count: number, one: string, many = `${one}s`): string {
  return `${formatNumber(count)} ${plurals.select(count) === 'one' ? one : many}`;
}
