import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SenderGuard } from '../../electron/main/ipc/sender-guard';

describe('SenderGuard', () => {
  const guard = new SenderGuard('app://parley');
  guard.trust(7, 'transcript');
  guard.trust(8, 'settings');
  const ours = { webContentsId: 7, frameUrl: 'app://parley/transcript.html', isMainFrame: true };

  it('knows the kind of each window it was told to trust', () => {
    assert.equal(guard.kindOf(ours), 'transcript');
    assert.equal(guard.kindOf({ ...ours, webContentsId: 8, frameUrl: 'app://parley/settings.html' }), 'settings');
  });

  it('gives no kind to unknown windows, sub-frames, other origins and garbage URLs', () => {
    assert.equal(guard.kindOf({ ...ours, webContentsId: 9 }), undefined);
    assert.equal(guard.kindOf({ ...ours, isMainFrame: false }), undefined);
    assert.equal(guard.kindOf({ ...ours, frameUrl: 'https://evil.example/transcript.html' }), undefined);
    assert.equal(guard.kindOf({ ...ours, frameUrl: 'app://parley.evil/transcript.html' }), undefined);
    assert.equal(guard.kindOf({ ...ours, frameUrl: 'file:///tmp/transcript.html' }), undefined);
    assert.equal(guard.kindOf({ ...ours, frameUrl: 'not a url' }), undefined);
  });

  it('stops trusting a window once forgotten', () => {
    const local = new SenderGuard('http://127.0.0.1:5173');
    local.trust(1, 'audio');
    const sender = { webContentsId: 1, frameUrl: 'http://127.0.0.1:5173/audio.html', isMainFrame: true };
    assert.equal(local.kindOf(sender), 'audio');
    local.forget(1);
    assert.equal(local.kindOf(sender), undefined);
  });
});
