import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';

/** OWASP's Argon2id minimum (19 MiB, 2 passes): strong, yet 20 parallel sign-ups stay within memory. */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class PasswordHasher {
  private dummyHash?: Promise<string>;

  hash(password: string): Promise<string> {
    return argon2.hash(password, OPTIONS);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  /** Spends the time of a real verification when there is no hash to check, so timing does not reveal accounts. */
  async verifyDummy(password: string): Promise<false> {
    this.dummyHash ??= this.hash('dummy-password-that-never-matches');
    await this.verify(await this.dummyHash, password);
    return false;
  }
}
