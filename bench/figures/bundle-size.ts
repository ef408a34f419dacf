import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { builtRenderer } from '../../test/harness/paths';

export interface BundleSizes {
  /** Each page: its HTML and every asset it loads (scripts, chunks, worklets, styles), gzip KB. */
  pages: Record<string, number>;
  /** Every file of the renderer build once, gzip KB. */
  totalKb: number;
}

const gzipKb = (bytes: Buffer) => gzipSync(bytes).length / 1024;

/** Gzip (level 6, as web servers use) sizes of the built renderer, per page and in all. */
export function measureBundleSizes(): BundleSizes {
  const assets = readdirSync(join(builtRenderer, 'assets'));
  const pages = readdirSync(builtRenderer).filter((name) => name.endsWith('.html'));
  const sizeOf = (file: string) => gzipKb(readFileSync(join(builtRenderer, file)));
  const result: BundleSizes = { pages: {}, totalKb: 0 };
  for (const page of pages) {
    const loaded = new Set<string>();
    const follow = (file: string) => {
      if (loaded.has(file)) return;
      loaded.add(file);
      const text = readFileSync(join(builtRenderer, file), 'utf8');
      // Script and style tags, static imports, and worklet URLs all name the asset's file.
      for (const asset of assets) if (text.includes(asset)) follow(join('assets', asset));
    };
    follow(page);
    result.pages[page.replace('.html', '')] = [...loaded].reduce((sum, file) => sum + sizeOf(file), 0);
  }
  result.totalKb = [...pages, ...assets.map((asset) => join('assets', asset))].reduce(
    (sum, file) => sum + sizeOf(file),
    0,
  );
  return result;
}
