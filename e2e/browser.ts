// Debian's Chromium driven by playwright-core: never a browser download. Tests skip, saying why, where it is missing.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// .ci/run sets FOODLENS_REQUIRE_BROWSER: there the browser tests always run, and a missing Chromium fails them.
export const chromiumMissing =
  existsSync(CHROMIUM_PATH) || process.env.FOODLENS_REQUIRE_BROWSER ? null : `${CHROMIUM_PATH} not found (apt-get install -y chromium; .ci/run does)`;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Without the background-networking flags Chromium keeps trying to reach Google on this offline machine.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
