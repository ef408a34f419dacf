import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trayView } from '../../electron/main/tray/tray-menu';
import type { ConnectionState } from '../../shared/types';

const hotkey = {
  accelerator: 'Control+Shift+Space',
  mode: 'hold' as const,
  effectiveMode: 'hold' as const,
  keyReleases: true,
};

describe('trayView', () => {
  it('derives icon and label from every state', () => {
    const expected: Record<ConnectionState, string> = {
      'no-api-key': 'error',
      idle: 'idle',
      connecting: 'busy',
      listening: 'busy',
      thinking: 'busy',
      speaking: 'busy',
      error: 'error',
    };
    for (const [state, icon] of Object.entries(expected)) {
      const view = trayView({ state: state as ConnectionState, detail: 'd' }, hotkey);
      assert.equal(view.icon, icon, state);
      assert.match(view.menu[0]?.kind === 'label' ? view.menu[0].label : '', /^Parley — /);
    }
  });

  it('offers transcript, settings and quit, and names the hotkey in the tooltip', () => {
    const view = trayView({ state: 'idle', detail: 'Ready.' }, hotkey);
    const actions = view.menu.flatMap((item) => (item.kind === 'action' ? [item.id] : []));
    assert.deepEqual(actions, ['open-transcript', 'open-settings', 'quit']);
    assert.equal(view.tooltip, 'Parley — idle\nReady.\nHotkey: Control+Shift+Space (hold)');
  });

  it('says why the hotkey only toggles, and how to fix it', () => {
    const problem = { reason: 'No X display.', fix: 'Start Parley from your desktop.' };
    const view = trayView(
      { state: 'idle', detail: 'Ready.' },
      { ...hotkey, effectiveMode: 'toggle', keyReleases: false, problem },
    );
    assert.match(
      view.tooltip,
      /Hotkey: Control\+Shift\+Space \(toggle\)\nNo X display\.\nStart Parley from your desktop\.$/,
    );
  });
});
