import type { Hotkey, HotkeyStatus } from '../../../shared/types';
import type { ShortcutPort } from '../ports';
import { parseAccelerator } from './accelerator';
import { ChordTracker } from './chord-tracker';
import type { KeyHookAvailability } from './key-hook-probe';
import { keycodes } from './keycodes';
import { defaultPushToTalk, PushToTalk, type TurnListener } from './push-to-talk';
import type { KeySource, KeySourceListener } from './uiohook-source';

export interface HotkeyDeps {
  probe: () => Promise<KeyHookAvailability>;
  startKeySource: (listener: KeySourceListener) => Promise<KeySource>;
  shortcuts: ShortcutPort;
  turns: TurnListener;
  now: () => number;
  /** Read at each start, so a new limit applies from the next hotkey start. */
  maxTurnMs?: () => number;
}

/**
 * Listens for the push-to-talk hotkey with the best means available: global
 * key downs and ups from uiohook, or, where key releases cannot be seen,
 * Electron's global shortcut in toggle mode, and says which and why.
 */
export class HotkeyService {
  private ptt: PushToTalk | undefined;
  private chord: ChordTracker | undefined;
  private source: KeySource | undefined;

  constructor(private readonly deps: HotkeyDeps) {}

  async start(hotkey: Hotkey): Promise<HotkeyStatus> {
    this.dispose();
    const parsed = parseAccelerator(hotkey.accelerator, keycodes);
    const availability = await this.deps.probe();
    if (parsed.ok && availability.available) {
      const ptt = this.createPushToTalk(hotkey.mode);
      const chord = new ChordTracker(parsed.chord, ptt);
      this.chord = chord;
      this.source = await this.deps.startKeySource({
        keyDown: (code, at) => chord.keyDown(code, at),
        keyUp: (code, at) => chord.keyUp(code, at),
      });
      return { ...hotkey, effectiveMode: hotkey.mode, keyReleases: true };
    }
    const problem = parsed.ok
      ? availability.available
        ? undefined
        : {
            reason: availability.reason,
            fix: `${availability.fix} Until then the hotkey toggles: tap to talk, tap again to stop.`,
          }
      : { reason: parsed.error, fix: 'Choose another hotkey in Settings.' };
    return this.startFallback(hotkey, problem);
  }

  /** Starts or ends a hands-free turn without the hotkey (tray "Talk"). */
  toggleTurn(): void {
    const now = this.deps.now();
    if (this.ptt?.talking) this.ptt.stop(now);
    else this.ptt?.startHandsFree(now);
  }

  dispose(): void {
    this.source?.stop();
    this.chord?.dispose();
    this.ptt?.dispose();
    this.deps.shortcuts.unregisterAll();
    this.source = this.chord = this.ptt = undefined;
  }

  private startFallback(hotkey: Hotkey, problem: HotkeyStatus['problem']): HotkeyStatus {
    const ptt = this.createPushToTalk('toggle');
    const registered = this.deps.shortcuts.register(hotkey.accelerator, () => {
      const now = this.deps.now();
      ptt.pressed(now);
      ptt.released(now);
    });
    if (!registered) {
      return {
        ...hotkey,
        effectiveMode: 'toggle',
        keyReleases: false,
        problem: {
          reason: `${problem ? `${problem.reason} ` : ''}${hotkey.accelerator} could not be registered: another application may be using it.`,
          fix: 'Choose another hotkey in Settings, or use Talk in the tray menu.',
        },
      };
    }
    return { ...hotkey, effectiveMode: 'toggle', keyReleases: false, problem };
  }

  private createPushToTalk(mode: Hotkey['mode']): PushToTalk {
    const ptt = new PushToTalk(
      {
        mode,
        hybridHoldMs: defaultPushToTalk.hybridHoldMs,
        maxTurnMs: this.deps.maxTurnMs?.() ?? defaultPushToTalk.maxTurnMs,
      },
      this.deps.turns,
    );
    this.ptt = ptt;
    return ptt;
  }
}
