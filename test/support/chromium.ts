// Debian's Chromium, driven by playwright-core (no browser is ever downloaded): one place for where it is, how it
// is started headless, and the Japanese message when it is missing. The browser tests are never skipped.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} がありません。Debian の chromium パッケージを入れてください（apt-get install -y chromium）。このテストは飛ばしません。`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
