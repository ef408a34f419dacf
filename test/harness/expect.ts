import { expect as playwrightExpect } from '@playwright/test';

/**
 * Playwright's expect, waiting up to 15 s instead of 5 for what a window
 * shows or a value becomes. The waits end as soon as the assertion holds; the
 * bound only tells something that never happens from a busy machine, where a
 * window can take seconds to catch up with main.
 */
export const expect = playwrightExpect.configure({ timeout: 15_000 });
