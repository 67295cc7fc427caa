/** What the callback needs from Google's OpenID userinfo. */
export interface GoogleProfile {
  googleId: string;
  email: string | undefined;
  emailVerified: boolean;
  name: string | undefined;
}
