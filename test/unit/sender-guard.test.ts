import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SenderGuard } from '../../electron/main/ipc/sender-guard';

describe('SenderGuard', () => {
  const guard = new SenderGuard('app://parley');
  guard.trust(7);
  const ours = { webContentsId: 7, frameUrl: 'app://parley/transcript.html', isMainFrame: true };

  it('allows the main frame of our window on our origin', () => {
    assert.equal(guard.allows(ours), true);
  });

  it('refuses unknown windows, sub-frames, other origins and garbage URLs', () => {
    assert.equal(guard.allows({ ...ours, webContentsId: 8 }), false);
    assert.equal(guard.allows({ ...ours, isMainFrame: false }), false);
    assert.equal(guard.allows({ ...ours, frameUrl: 'https://evil.example/transcript.html' }), false);
    assert.equal(guard.allows({ ...ours, frameUrl: 'app://parley.evil/transcript.html' }), false);
    assert.equal(guard.allows({ ...ours, frameUrl: 'file:///tmp/transcript.html' }), false);
    assert.equal(guard.allows({ ...ours, frameUrl: 'not a url' }), false);
  });

  it('stops trusting a window once forgotten', () => {
    const local = new SenderGuard('http://127.0.0.1:5173');
    local.trust(1);
    const sender = { webContentsId: 1, frameUrl: 'http://127.0.0.1:5173/audio.html', isMainFrame: true };
    assert.equal(local.allows(sender), true);
    local.forget(1);
    assert.equal(local.allows(sender), false);
  });
});
