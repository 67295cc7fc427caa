const $ = (id) => document.getElementById(id);
const ref = new URLSearchParams(location.search).get('ref');
const signUp = $('sign-up'), verify = $('verify'), login = $('login');
let email = '';
if (ref) { signUp.referralCode.value = ref; $('ref-code').textContent = ref; $('invited').hidden = false; }
const show = (form) => { for (const f of [signUp, verify, login]) f.hidden = f !== form; $('error').textContent = ''; };
const fail = (e) => { $('error').textContent = e.message; };
const done = (res) => { api.setToken(res.accessToken); location.href = '/dashboard/account/points'; };

signUp.onsubmit = async (e) => {
  e.preventDefault();
  const body = { name: signUp.name.value, email: signUp.email.value, password: signUp.password.value };
  if (signUp.referralCode.value.trim()) body.referralCode = signUp.referralCode.value.trim();
  try { await api.call('POST', '/api/auth/sign-up', body); email = body.email; $('sent-to').textContent = email; show(verify); } catch (err) { fail(err); }
};
verify.onsubmit = async (e) => {
  e.preventDefault();
  try { done(await api.call('POST', '/api/auth/verify-email-code', { email, code: verify.code.value })); } catch (err) { fail(err); }
};
$('resend').onclick = async () => { try { await api.call('POST', '/api/auth/resend-code', { email }); $('error').textContent = 'A new code is on its way.'; } catch (err) { fail(err); } };
login.onsubmit = async (e) => {
  e.preventDefault();
  try { done(await api.call('POST', '/api/auth/login', { email: login.email.value, password: login.password.value })); } catch (err) { fail(err); }
};
$('toggle').onclick = (e) => { e.preventDefault(); show(login.hidden ? login : signUp); $('title').textContent = login.hidden ? 'Create your account' : 'Log in'; };
