import { createSecretKey, KeyObject } from 'node:crypto';
import { AppConfig } from '../../config/app-config';

const keys = new WeakMap<AppConfig, KeyObject>();

/**
 * The HS256 key as a KeyObject, built once. Given the secret as a string, jsonwebtoken tries to
 * parse it as a PEM key on every sign and verify and falls back after the throw, which cost half
 * of my-points' throughput (bench scenario 4). Typed as a string: the libraries' types predate KeyObject.
 */
export function jwtKey(config: AppConfig): string {
  let key = keys.get(config);
  if (!key) keys.set(config, (key = createSecretKey(Buffer.from(config.jwtSecret))));
  return key as unknown as string;
}
