import { hasChromium } from '../browser/chromium';

/** Says once per run, not once per file, that the browser tests are skipped. */
export default function setup(): void {
  if (!hasChromium) process.stdout.write('browser tests skipped: /usr/bin/chromium is missing (apt-get install -y chromium)\n');
}
