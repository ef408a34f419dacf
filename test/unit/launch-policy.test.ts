import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { debuggingSwitches, developmentRendererUrl, launchRefusal } from '../../electron/main/security/launch-policy';
import { appMenu, menuAccelerators, type AppMenuItem } from '../../electron/main/windows/app-menu';

const exe = '/opt/Parley/parley';

describe('launch policy', () => {
  it('serves the windows from the dev server in development only, never in an installed build', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173' };
    assert.equal(developmentRendererUrl(env, false), 'http://localhost:5173');
    assert.equal(developmentRendererUrl(env, true), undefined);
    assert.equal(developmentRendererUrl({ ELECTRON_RENDERER_URL: 'https://attacker.example/' }, true), undefined);
    assert.equal(developmentRendererUrl({}, false), undefined);
    assert.equal(developmentRendererUrl({ ELECTRON_RENDERER_URL: '  ' }, false), undefined);
  });

  it('refuses to start an installed build that a debugger could attach to, and names the switch', () => {
    for (const arg of [
      '--remote-debugging-port=9222',
      '--remote-debugging-port',
      '--remote-debugging-pipe',
      '--remote-debugging-address=0.0.0.0',
      '-remote-debugging-port=9222',
      '--inspect',
      '--inspect=9229',
      '--inspect-brk=0',
      '--inspect-port=9230',
    ]) {
      const refusal = launchRefusal([exe, arg], true, 'linux');
      assert.ok(refusal?.includes(arg), `${arg}: ${refusal}`);
    }
    // Windows also reads "/switch", and switch names without case.
    assert.ok(launchRefusal(['parley.exe', '/remote-debugging-port=9222'], true, 'win32'));
    assert.ok(launchRefusal(['parley.exe', '--REMOTE-DEBUGGING-PORT=9222'], true, 'win32'));
    assert.equal(launchRefusal([exe, '/remote-debugging-port=9222'], true, 'linux'), undefined, 'a path there');
  });

  it('starts with an ordinary command line, and in development whatever it carries', () => {
    assert.equal(launchRefusal([exe], true, 'linux'), undefined);
    assert.equal(launchRefusal([exe, '--enable-logging', 'remote-debugging-port'], true, 'linux'), undefined);
    assert.equal(launchRefusal([exe, '--no-sandbox-inspect'], true, 'darwin'), undefined);
    // The first argument is the executable itself, whatever its name.
    assert.deepEqual(debuggingSwitches(['--inspect', '--ozone-platform=wayland'], 'linux'), []);
    // Playwright's Electron driver launches development builds with a debugging port.
    assert.equal(launchRefusal([exe, '.', '--remote-debugging-port=0'], false, 'linux'), undefined);
  });
});

describe('application menu', () => {
  const labels = (items: readonly AppMenuItem[]): string[] =>
    items.flatMap((item) => [item.label ?? item.role ?? item.type ?? '?', ...labels(item.submenu ?? [])]);

  it('keeps Electron’s default menu in development', () => {
    for (const platform of ['linux', 'win32', 'darwin']) {
      assert.deepEqual(appMenu(platform, false, 'Parley'), { kind: 'electron-default' });
    }
  });

  it('sets no menu at all in an installed build on Windows and Linux', () => {
    assert.deepEqual(appMenu('win32', true, 'Parley'), { kind: 'items', items: [] });
    assert.deepEqual(appMenu('linux', true, 'Parley'), { kind: 'items', items: [] });
  });

  it('keeps Quit, editing and the Window menu on macOS, and nothing that debugs or reloads', () => {
    const menu = appMenu('darwin', true, 'Parley');
    assert.equal(menu.kind, 'items');
    if (menu.kind !== 'items') return;
    assert.deepEqual(
      menu.items.map((item) => item.label),
      ['Parley', 'Edit', 'Window'],
    );
    const all = labels(menu.items);
    for (const role of ['quit', 'copy', 'paste', 'cut', 'selectAll', 'undo', 'minimize', 'close']) {
      assert.ok(all.includes(role), role);
    }
    for (const role of ['toggleDevTools', 'reload', 'forceReload', 'viewMenu']) {
      assert.ok(!all.includes(role), role);
    }
    const accelerators = menuAccelerators(menu.items);
    assert.deepEqual(
      accelerators.find((item) => item.role === 'quit'),
      { role: 'quit', accelerator: 'Command+Q' },
    );
    assert.ok(accelerators.every((item) => item.accelerator.length > 0));
  });
});
