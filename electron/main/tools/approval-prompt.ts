import type { Ports } from '../ports';
import type { WindowManager } from '../windows/window-manager';

/**
 * A card waits for the user: it shows where they look next without taking the keyboard from
 * what they are doing, and a system notification says so when the transcript window was hidden.
 */
export function approvalPrompt(
  desktop: Ports['desktop'],
  windows: Pick<WindowManager, 'ensure' | 'reveal' | 'show'>,
): (tool: string, server: string | undefined) => void {
  return (tool, server) => {
    const wasHidden = !windows.ensure('transcript').isVisible();
    windows.reveal('transcript');
    if (!wasHidden) return;
    desktop.notify('Parley asks for your approval', `Gemini wants to use ${tool}${server ? ` (${server})` : ''}.`, () =>
      windows.show('transcript'),
    );
  };
}
