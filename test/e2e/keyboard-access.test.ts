import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { Harness } from '../harness/harness';

interface Stop {
  tag: string;
  name: string;
  outline: string;
}

/** Presses Tab until the focus comes back round, recording each control it lands on. */
async function tabRound(page: Page): Promise<Stop[]> {
  const stops: Stop[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return undefined;
      const input = el as HTMLInputElement;
      const labelled = el.getAttribute('aria-labelledby');
      const name = (
        el.getAttribute('aria-label') ??
        (labelled ? document.getElementById(labelled)?.textContent : undefined) ??
        (input.labels?.[0]?.textContent || undefined) ??
        el.textContent ??
        ''
      ).trim();
      const style = getComputedStyle(el);
      const path = [...document.querySelectorAll('*')].indexOf(el);
      return {
        key: `${path}`,
        tag: el.tagName.toLowerCase(),
        name,
        outline: `${style.outlineStyle} ${style.outlineWidth}`,
      };
    });
    if (!stop) continue;
    if (seen.has(stop.key)) break;
    seen.add(stop.key);
    stops.push({ tag: stop.tag, name: stop.name, outline: stop.outline });
  }
  return stops;
}

describe('keyboard access', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('reaches every settings control with Tab, each named and with a visible focus ring', async () => {
    harness = await Harness.start();
    const page = await harness.openSettings();
    const stops = await tabRound(page);
    const enabledControls = await page
      .locator('input:enabled, select:enabled, textarea:enabled, button:enabled')
      .count();
    // Radio groups are one Tab stop each, as in every native dialog.
    const radioGroups = await page.evaluate(
      () =>
        new Set([...document.querySelectorAll('input[type=radio]:enabled')].map((r) => (r as HTMLInputElement).name))
          .size,
    );
    const radios = await page.locator('input[type=radio]:enabled').count();
    assert.equal(stops.length, enabledControls - radios + radioGroups, JSON.stringify(stops.map((s) => s.name)));
    for (const stop of stops) {
      assert.ok(stop.name.length > 0, `a ${stop.tag} without a name`);
      assert.doesNotMatch(stop.outline, /^none/, `no focus ring on ${stop.tag} "${stop.name}"`);
    }
    assert.ok(stops.some((s) => s.name.includes('Microphone')));
    // The Screen section: its switch and the screen hotkey's recorder, named apart from push to talk's.
    for (const name of ['Let Gemini see the screen when I ask', 'Screen hotkey', 'Record the screen hotkey']) {
      assert.ok(
        stops.some((s) => s.name === name),
        name,
      );
    }
  });

  it('reaches the message box and Settings in the transcript window', async () => {
    harness = await Harness.start({ env: { GEMINI_API_KEY: 'test-key' } });
    const page = await harness.page('transcript');
    const names = (await tabRound(page)).map((stop) => stop.name);
    assert.ok(names.includes('Message'), names.join(', '));
    assert.ok(names.includes('Settings…'), names.join(', '));
  });
});
