/**
 * A user's referral counters (referral_stats, zeros when the user has no row there yet) with the
 * user's id and referrer, as one relation to select from: `FROM ${USER_REFERRAL_STATS} WHERE id = $1`.
 */
export const USER_REFERRAL_STATS = `(
  SELECT u.id, u.referred_by_id, u.deleted_at,
         COALESCE(s.total_referrals, 0) AS total_referrals, COALESCE(s.active_referrals, 0) AS active_referrals,
         COALESCE(s.converted_referrals, 0) AS converted_referrals, COALESCE(s.total_earned, 0) AS total_earned,
         s.last_referral_at
    FROM users u LEFT JOIN referral_stats s ON s.user_id = u.id) stats`;

/** Sets a user's referral count and when it last grew, as attribution would have. */
export const SET_REFERRALS = `
  INSERT INTO referral_stats AS s (user_id, total_referrals, last_referral_at) VALUES ($1, $2, $3)
  ON CONFLICT (user_id) DO UPDATE SET total_referrals = EXCLUDED.total_referrals, last_referral_at = EXCLUDED.last_referral_at`;
