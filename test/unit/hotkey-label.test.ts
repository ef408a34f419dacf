import assert from 'node:assert/strict';
import { it } from 'node:test';
import { hotkeyLabel } from '../../shared/hotkey-label';

it('spells accelerators the way each platform does', () => {
  assert.equal(hotkeyLabel('Control+Shift+Space', 'linux'), 'Ctrl + Shift + Space');
  assert.equal(hotkeyLabel('Control+Shift+Space', 'win32'), 'Ctrl + Shift + Space');
  assert.equal(hotkeyLabel('Control+Alt+Space', 'darwin'), '⌃⌥Space');
  assert.equal(hotkeyLabel('Super+F9', 'linux'), 'Super + F9');
});
