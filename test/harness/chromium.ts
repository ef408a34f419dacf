import { existsSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';
import { chromiumPath } from './paths';

export interface ChromiumOptions {
  userDataDir: string;
  /** 16-bit PCM WAV played as the fake microphone; silence when absent. */
  microphoneWav?: string;
  /** 'denied': microphone requests fail until the test grants them, as when a user said no. */
  microphonePermission?: 'granted' | 'denied';
}

/**
 * Debian's Chromium, headless, with a fake microphone and no background
 * networking (this machine's network is closed, and Parley's renderers never
 * talk to anything but main anyway).
 */
export async function launchChromium(options: ChromiumOptions): Promise<BrowserContext> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: install the Debian package "chromium" (see README).`);
  }
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--autoplay-policy=no-user-gesture-required',
    '--use-fake-device-for-media-stream',
  ];
  if (options.microphonePermission !== 'denied') args.push('--use-fake-ui-for-media-stream');
  if (options.microphoneWav) args.push(`--use-file-for-fake-audio-capture=${options.microphoneWav}`);
  return chromium.launchPersistentContext(options.userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args,
  });
}
