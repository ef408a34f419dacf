import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  contentSecurityPolicy,
  isPermissionCheckAllowed,
  isPermissionRequestAllowed,
  type PermissionCheckDetails,
  type PermissionRequestDetails,
} from '../../electron/main/security/policy';
import { serveAppRequest, serveRendererFile } from '../../electron/main/security/renderer-files';

describe('security policy', () => {
  describe('permissions', () => {
    const origin = 'app://parley';
    const audioPage = { requestingUrl: 'app://parley/audio.html', isMainFrame: true };
    const request = (permission: string, details: Partial<PermissionRequestDetails> = {}) =>
      isPermissionRequestAllowed(permission, { ...audioPage, mediaTypes: ['audio'], ...details }, origin);
    const check = (permission: string, details: Partial<PermissionCheckDetails> = {}) =>
      isPermissionCheckAllowed(permission, { ...audioPage, mediaType: 'audio', ...details }, origin);

    it('grant the audio page the microphone and the choice of speakers', () => {
      assert.equal(request('media'), true);
      assert.equal(check('media'), true);
      assert.equal(request('speaker-selection', { mediaTypes: undefined }), true);
      assert.equal(check('speaker-selection', { mediaType: undefined }), true);
      // The pipeline query the benchmark adds does not make it another page.
      assert.equal(request('media', { requestingUrl: 'app://parley/audio.html?pipeline=x' }), true);
    });

    it('never grant the camera, nor a media request that does not say what it opens', () => {
      assert.equal(request('media', { mediaTypes: ['video'] }), false);
      assert.equal(request('media', { mediaTypes: ['audio', 'video'] }), false);
      assert.equal(request('media', { mediaTypes: [] }), false);
      assert.equal(request('media', { mediaTypes: undefined }), false);
      assert.equal(check('media', { mediaType: 'video' }), false);
      assert.equal(check('media', { mediaType: 'unknown' }), false);
      assert.equal(check('media', { mediaType: undefined }), false);
    });

    it('refuse the other windows, sub-frames, other origins and unknown frames', () => {
      for (const page of ['transcript', 'settings']) {
        const requestingUrl = `app://parley/${page}.html`;
        assert.equal(request('media', { requestingUrl }), false, page);
        assert.equal(check('media', { requestingUrl }), false, page);
        assert.equal(request('speaker-selection', { requestingUrl }), false, page);
        assert.equal(check('speaker-selection', { requestingUrl }), false, page);
      }
      assert.equal(request('media', { isMainFrame: false }), false);
      assert.equal(check('media', { isMainFrame: false }), false);
      assert.equal(request('speaker-selection', { isMainFrame: false }), false);
      for (const requestingUrl of [
        'https://example.com/audio.html',
        'app://other/audio.html',
        'http://127.0.0.1/audio.html',
        '::',
      ]) {
        assert.equal(request('media', { requestingUrl }), false, requestingUrl);
        assert.equal(check('media', { requestingUrl }), false, requestingUrl);
      }
      assert.equal(check('media', { requestingUrl: undefined }), false);
    });

    it('refuse everything else, screen capture included, even to the audio page', () => {
      for (const permission of [
        'display-capture',
        'geolocation',
        'notifications',
        'clipboard-read',
        'openExternal',
        'unknown',
      ]) {
        assert.equal(request(permission), false, permission);
        assert.equal(check(permission), false, permission);
      }
    });
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

  it("serves app:// only for Parley's own host: any other host answers 404", async () => {
    const ours = await serveAppRequest(root, 'app://parley/transcript.html', 'app://parley');
    assert.equal(ours.status, 200);
    assert.equal(String(ours.body), '<!doctype html>');
    for (const url of [
      'app://other/transcript.html',
      'app://parley.evil/transcript.html',
      'app://parley:8080/transcript.html',
      'app:///transcript.html',
      'not a url',
    ]) {
      const response = await serveAppRequest(root, url, 'app://parley');
      assert.equal(response.status, 404, url);
      assert.equal(response.headers['Content-Security-Policy'], contentSecurityPolicy, url);
      assert.notEqual(String(response.body), '<!doctype html>', url);
    }
  });

  it('answers 404 for missing files and folders', async () => {
    assert.equal((await serveRendererFile(root, '/missing.html')).status, 404);
    assert.equal((await serveRendererFile(root, '/assets')).status, 404);
    assert.equal((await serveRendererFile(root, '/%E0%A4%A')).status, 404);
  });
});
