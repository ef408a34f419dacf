import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { builtRenderer } from './paths';

/**
 * Collects Chromium's V8 coverage of renderer pages and writes it where c8
 * reads Node's own, with page URLs turned into the built files' paths so
 * their source maps lead back to `renderer/`, `shared/` and the preload.
 */
export class CoverageCollector {
  private readonly pages = new Set<Page>();

  constructor(
    private readonly outputDir: string,
    private readonly rendererOrigin: string,
  ) {}

  async start(page: Page): Promise<void> {
    this.pages.add(page);
    await page.coverage.startJSCoverage({ resetOnNavigation: false });
  }

  async flush(): Promise<void> {
    mkdirSync(this.outputDir, { recursive: true });
    for (const page of this.pages) {
      if (page.isClosed()) continue;
      const entries = await page.coverage.stopJSCoverage();
      const result = entries
        .map(({ url, scriptId, functions }) => ({ scriptId, url: this.fileUrl(url), functions }))
        .filter((entry) => entry.url.startsWith('file:'));
      const name = `coverage-chromium-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`;
      writeFileSync(join(this.outputDir, name), JSON.stringify({ result }));
    }
    this.pages.clear();
  }

  private fileUrl(url: string): string {
    if (!url.startsWith(this.rendererOrigin)) return url;
    return pathToFileURL(join(builtRenderer, new URL(url).pathname)).href;
  }
}

/** Set by `npm run coverage`: the folder c8 gathers V8 coverage from. */
export function coverageDirFromEnv(): string | undefined {
  return process.env.PARLEY_RENDERER_COVERAGE_DIR || undefined;
}
