import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, isNavigationAllowed, isPermissionAllowed } from '../../electron/main/security/policy';
import { serveRendererFile } from '../../electron/main/security/renderer-files';

describe('security policy', () => {
  it('grants only the microphone and speaker choice, only to our own pages', () => {
    assert.equal(isPermissionAllowed('media', 'app://parley/audio.html', 'app://parley'), true);
    assert.equal(isPermissionAllowed('speaker-selection', 'app://parley/audio.html', 'app://parley'), true);
    assert.equal(isPermissionAllowed('speaker-selection', 'https://example.com/', 'app://parley'), false);
    assert.equal(isPermissionAllowed('media', 'https://example.com/', 'app://parley'), false);
    for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      assert.equal(isPermissionAllowed(permission, 'app://parley/audio.html', 'app://parley'), false, permission);
    }
  });

  it('keeps windows on our own pages', () => {
    assert.equal(isNavigationAllowed('app://parley/settings.html', 'app://parley'), true);
    assert.equal(isNavigationAllowed('https://accounts.google.com/', 'app://parley'), false);
    assert.equal(isNavigationAllowed('javascript:alert(1)', 'app://parley'), false);
    assert.equal(isNavigationAllowed('::', 'app://parley'), false);
  });

  it('has a CSP without inline code, eval or remote sources', () => {
    assert.doesNotMatch(contentSecurityPolicy, /unsafe-inline|unsafe-eval|https?:|\*/);
    assert.match(contentSecurityPolicy, /default-src 'none'/);
    assert.match(contentSecurityPolicy, /connect-src 'self'/);
  });
});

describe('serveRendererFile', () => {
  const root = mkdtempSync(join(tmpdir(), 'parley-renderer-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'transcript.html'), '<!doctype html>');
  writeFileSync(join(root, 'assets', 'app.js'), 'export {}');
  writeFileSync(join(root, '..', 'secret.txt'), 'secret');

  it('serves built files with our CSP and the right type', async () => {
    const page = await serveRendererFile(root, '/transcript.html');
    assert.equal(page.status, 200);
    assert.equal(page.headers['Content-Type'], 'text/html; charset=utf-8');
    assert.equal(page.headers['Content-Security-Policy'], contentSecurityPolicy);
    const script = await serveRendererFile(root, '/assets/app.js');
    assert.equal(script.headers['Content-Type'], 'text/javascript; charset=utf-8');
  });

  it('refuses paths outside the renderer folder, however they are spelled', async () => {
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const response = await serveRendererFile(root, path);
      assert.equal(response.status, 403, path);
      assert.notEqual(String(response.body), 'secret');
    }
  });

  it('answers 404 for missing files and folders', async () => {
    assert.equal((await serveRendererFile(root, '/missing.html')).status, 404);
    assert.equal((await serveRendererFile(root, '/assets')).status, 404);
    assert.equal((await serveRendererFile(root, '/%E0%A4%A')).status, 404);
  });
});
