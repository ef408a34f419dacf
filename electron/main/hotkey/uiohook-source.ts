export interface KeySourceListener {
  keyDown(keycode: number, at: number): void;
  keyUp(keycode: number, at: number): void;
}

export interface KeySource {
  stop(): void;
}

/**
 * Global key downs and ups from uiohook. Import it only after `probeKeyHook`
 * said yes: loading the native module on a machine without a display aborts.
 */
export async function startUiohook(listener: KeySourceListener): Promise<KeySource> {
  const { uIOhook } = await import('uiohook-napi');
  uIOhook.on('keydown', (event) => listener.keyDown(event.keycode, performance.now()));
  uIOhook.on('keyup', (event) => listener.keyUp(event.keycode, performance.now()));
  uIOhook.start();
  return {
    stop() {
      uIOhook.removeAllListeners();
      uIOhook.stop();
    },
  };
}
