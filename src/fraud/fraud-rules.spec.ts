import { describe, expect, it } from 'vitest';
import { judgeSignup, SignupSignals } from './fraud-rules';

const base: SignupSignals = {
  referrer: { id: 'r', email: 'Jane.Doe@gmail.com', signupIp: '10.0.0.1', signupDeviceId: 'dev-r', deleted: false },
  referee: { id: 'e', email: 'friend@example.com', ip: '10.0.0.2', deviceId: 'dev-e' },
  recentReferees: 0,
  velocityPerHour: 10,
};
const judge = (patch: { referrer?: Partial<SignupSignals['referrer']>; referee?: Partial<SignupSignals['referee']>; recentReferees?: number }) =>
  judgeSignup({
    ...base,
    recentReferees: patch.recentReferees ?? base.recentReferees,
    referrer: { ...base.referrer, ...patch.referrer },
    referee: { ...base.referee, ...patch.referee },
  });

describe('judgeSignup', () => {
  it('passes a clean sign-up as pending', () => {
    expect(judge({})).toEqual({ status: 'pending', reasons: [] });
  });

  it.each(['jane.doe@gmail.com', 'JANEDOE@googlemail.com', 'j.a.n.e.doe+ref@gmail.com'])('rejects %s as a self-referral', (email) => {
    expect(judge({ referee: { email } })).toEqual({ status: 'rejected', reasons: ['SELF_REFERRAL'] });
  });

  it('does not treat dots as insignificant outside Gmail', () => {
    const referrer = { email: 'jane.doe@example.com' };
    expect(judge({ referrer, referee: { email: 'janedoe@example.com' } }).status).toBe('pending');
    expect(judge({ referrer, referee: { email: 'Jane.Doe+x@Example.com' } }).status).toBe('rejected');
  });

  it('rejects when the referrer is deleted, even if other signals would only flag', () => {
    expect(judge({ referrer: { deleted: true }, referee: { ip: '10.0.0.1' } })).toEqual({
      status: 'rejected',
      reasons: ['REFERRER_DELETED', 'SAME_IP'],
    });
  });

  it('flags the same IP (IPv4-mapped too), the same device and velocity', () => {
    expect(judge({ referee: { ip: '::ffff:10.0.0.1' } })).toEqual({ status: 'flagged', reasons: ['SAME_IP'] });
    expect(judge({ referee: { deviceId: 'dev-r' } })).toEqual({ status: 'flagged', reasons: ['SAME_DEVICE'] });
    expect(judge({ recentReferees: 9 }).status).toBe('pending');
    expect(judge({ recentReferees: 10 })).toEqual({ status: 'flagged', reasons: ['VELOCITY'] });
  });

  it('never matches missing signals', () => {
    expect(judge({ referrer: { signupIp: null, signupDeviceId: null }, referee: { ip: null, deviceId: null } }).status).toBe('pending');
  });
});
