import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lookAtScreenTool } from '../../electron/main/screen/look-at-screen-tool';
import type { SeenFrame } from '../../electron/main/screen/screen-turns';
import { permissionOf } from '../../electron/main/tools/permissions';
import { ToolFailure } from '../../electron/main/tools/tool';
import { defaultProfile } from '../../electron/main/settings/defaults';

const frame: SeenFrame = { jpeg: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), width: 768, height: 432 };

function rig(options: { look?: () => Promise<SeenFrame>; connected?: boolean } = {}) {
  const log: string[] = [];
  const tool = lookAtScreenTool({
    look: (turnId) => (log.push(`look${turnId}`), options.look?.() ?? Promise.resolve(frame)),
    send: (sent) => (log.push(`video ${sent.width}x${sent.height}`), options.connected ?? true),
    keep: (turnId) => log.push(`keep${turnId}`),
  });
  const run = (signal = new AbortController().signal) => tool.run({}, { signal, turnId: 3 });
  return { log, tool, run };
}

describe('look_at_screen', () => {
  it('asks the user first by default: a picture of the screen leaves the computer', () => {
    const { tool } = rig();
    assert.equal(permissionOf(tool, defaultProfile.tools).permission, 'ask');
  });

  it('sends one picture as video before its result, which says so, and keeps it on the turn', async () => {
    const { log, run } = rig();
    const result = (await run()) as { status: string; picture: string };
    assert.deepEqual(log, ['look3', 'video 768x432', 'keep3']);
    assert.equal(result.status, 'sent');
    assert.match(result.picture, /768×432 JPEG/);
  });

  it('tells Gemini why when the screen cannot be captured', async () => {
    const { log, run } = rig({ look: () => Promise.reject(new Error('Screen sharing was refused or cancelled.')) });
    await assert.rejects(run(), (error: unknown) => {
      assert.ok(error instanceof ToolFailure);
      assert.match(error.message, /could not be captured\. Screen sharing was refused or cancelled\./);
      return true;
    });
    assert.deepEqual(log, ['look3'], 'nothing sent, nothing kept');
  });

  it('keeps nothing when there is no connection to send it on', async () => {
    const { log, run } = rig({ connected: false });
    await assert.rejects(run(), /connection to Gemini is gone/);
    assert.ok(!log.includes('keep3'));
  });

  it('sends nothing once cancelled, even if the picture came', async () => {
    const cancel = new AbortController();
    const { log, run } = rig({ look: () => (cancel.abort(new Error('cancelled')), Promise.resolve(frame)) });
    await assert.rejects(run(cancel.signal), /cancelled/);
    assert.deepEqual(log, ['look3']);
  });
});
