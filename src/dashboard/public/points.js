const $ = (id) => document.getElementById(id);
const fromHash = new URLSearchParams(location.hash.slice(1)).get('accessToken');
if (fromHash) { api.setToken(fromHash); history.replaceState(null, '', location.pathname); }
if (!api.token()) location.href = '/auth/jwt/sign-up';
const date = (s) => (s ? new Date(s).toLocaleDateString() : '–');
const feed = (text) => { const li = document.createElement('li'); li.textContent = `${new Date().toLocaleTimeString()} · ${text}`; $('feed').prepend(li); };
const guard = (fn) => fn().catch((e) => { if (e.status === 401) api.logout(); else feed(`Error: ${e.message}`); });

async function loadPoints() {
  const p = await api.call('GET', '/api/points/my-points');
  $('available').textContent = p.available; $('total').textContent = p.total; $('pending').textContent = p.pending;
  const next = p.nextLevel;
  $('level').textContent = next ? `${p.level.name} · ${p.pointsToNextLevel} points to ${next.name}` : `${p.level.name} · top level`;
  const span = next ? next.minPoints - p.level.minPoints : 1;
  $('progress').style.width = `${next ? Math.min(100, ((p.total - p.level.minPoints) / span) * 100) : 100}%`;
}
async function loadMe() {
  const me = await api.call('GET', '/api/auth/me');
  $('who').textContent = me.email;
  $('link').textContent = me.referralCode ? `${location.origin}/r/${me.referralCode}` : 'no code yet';
}
async function loadReferrals() {
  const r = await api.call('GET', '/api/points/referrals?limit=20');
  $('stats').textContent = `${r.stats.totalReferrals} total · ${r.stats.convertedReferrals} converted · ${r.stats.totalEarned} points earned`;
  $('referrals').innerHTML = r.items.map((x) => `<tr><td>${esc(x.name)}</td><td>${esc(x.email)}</td><td><span class="pill ${esc(x.status)}">${esc(x.status)}</span></td><td>${date(x.joinedAt)}</td><td>${x.pointsEarned}</td></tr>`).join('') || '<tr><td class="muted">No referrals yet</td></tr>';
}
async function loadTransactions() {
  const t = await api.call('GET', '/api/points/transactions?limit=10');
  $('transactions').innerHTML = t.items.map((x) => `<tr><td>${date(x.createdAt)}</td><td>${esc(x.description || x.source)}</td><td>${x.amount > 0 ? '+' : ''}${x.amount}</td></tr>`).join('') || '<tr><td class="muted">Nothing yet</td></tr>';
}
async function loadLeaderboard() {
  const l = await api.call('GET', '/api/points/leaderboard?limit=10');
  $('leaderboard').innerHTML = l.items.map((x) => `<tr><td>#${x.rank}</td><td>${esc(x.name)}</td><td>${x.totalReferrals} referrals</td></tr>`).join('');
  $('me').textContent = l.me ? `You are #${l.me.rank}` : '';
}
const refresh = () => Promise.all([loadPoints, loadMe, loadReferrals, loadTransactions, loadLeaderboard].map(guard));

$('logout').onclick = api.logout;
$('copy').onclick = () => navigator.clipboard.writeText($('link').textContent);
$('generate').onclick = () => guard(async () => { const r = await api.call('POST', '/api/points/generate-referral-code'); $('link').textContent = r.url; feed(`New referral code ${r.code}`); });
$('redeem').onsubmit = (e) => { e.preventDefault(); const f = e.target; guard(async () => {
  const r = await api.call('POST', '/api/points/redeem', { amount: Number(f.amount.value), reward: f.reward.value }, { 'Idempotency-Key': crypto.randomUUID() });
  $('redeemed').textContent = r.reward.code ? `Your discount code: ${r.reward.code}` : `Credit recorded: ${r.reward.value}`; refresh();
}); };

const socket = io({ auth: { token: api.token() } });
socket.on('connect_error', () => feed('Live updates unavailable'));
// seq grows with every change of the balances: an older event than one already shown is dropped.
let lastSeq = 0;
socket.on('points-updated', (e) => {
  if (e.seq <= lastSeq) return;
  lastSeq = e.seq;
  feed(`Points ${e.delta > 0 ? '+' : ''}${e.delta}`);
  refresh();
});
// Sent on every (re)connect: changes made meanwhile are not replayed, so fetch what is shown.
socket.on('resync', () => refresh());
socket.on('level-up', (e) => feed(`Level up: ${e.levelName}!`));
socket.on('referral-signup', (e) => { feed(`${e.refereeName} joined with your link`); loadReferrals(); });
socket.on('new-notification', (e) => feed(`${e.title}: ${e.message}`));
refresh();
