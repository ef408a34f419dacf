import type { HotkeySeen } from '../../../shared/hotkey-check';
import type { Hotkey, HotkeyStatus } from '../../../shared/types';
import type { ShortcutPort } from '../ports';
import { parseAccelerator } from './accelerator';
import { ChordTracker, type ChordListener } from './chord-tracker';
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
 * While paused (the settings window records or tests a hotkey), presses are
 * reported to the pause's listener instead of starting turns.
 */
export class HotkeyService {
  private ptt: PushToTalk | undefined;
  private chord: ChordTracker | undefined;
  private source: KeySource | undefined;
  /** Kept across restarts: saving a new hotkey during a test keeps the test going. */
  private onSeen: ((seen: HotkeySeen) => void) | undefined;
  /** Restarts run one after another: two at once would both listen to the one key hook. */
  private restarts: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(private readonly deps: HotkeyDeps) {}

  /** (Re)starts listening with `hotkey`, after any restart still under way; a turn in progress ends first. */
  start(hotkey: Hotkey): Promise<HotkeyStatus> {
    const started = this.restarts.then(() => this.restart(hotkey));
    this.restarts = started.catch(() => undefined);
    return started;
  }

  private async restart(hotkey: Hotkey): Promise<HotkeyStatus> {
    // Its key may be about to change: the turn ends as a tap would end it, so the microphone stops.
    if (this.ptt?.talking) this.ptt.stop(this.deps.now());
    this.stopListening();
    const parsed = parseAccelerator(hotkey.accelerator, keycodes);
    const availability = await this.deps.probe();
    if (this.disposed) return stoppedStatus(hotkey);
    if (parsed.ok && availability.available) {
      const ptt = this.createPushToTalk(hotkey.mode);
      const chord = new ChordTracker(parsed.chord, this.gate(ptt, hotkey.accelerator));
      this.chord = chord;
      const source = await this.deps.startKeySource({
        keyDown: (code, at) => chord.keyDown(code, at),
        keyUp: (code, at) => chord.keyUp(code, at),
      });
      if (this.disposed) {
        source.stop();
        return stoppedStatus(hotkey);
      }
      this.source = source;
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

  /** The turn ended without the hotkey (a failure, a typed message…): push-to-talk starts afresh. */
  turnEndedElsewhere(): void {
    this.ptt?.endedElsewhere();
  }

  /** Starts or ends a hands-free turn without the hotkey (tray "Talk"). */
  toggleTurn(): void {
    const now = this.deps.now();
    if (this.ptt?.talking) this.ptt.stop(now);
    else this.ptt?.startHandsFree(now);
  }

  /** Reports presses of the hotkey to `onSeen` instead of starting turns, until `resume`. */
  pause(onSeen: (seen: HotkeySeen) => void): void {
    this.onSeen = onSeen;
  }

  resume(): void {
    this.onSeen = undefined;
  }

  get paused(): boolean {
    return this.onSeen !== undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.stopListening();
  }

  private stopListening(): void {
    this.source?.stop();
    this.chord?.dispose();
    this.ptt?.dispose();
    this.deps.shortcuts.unregisterAll();
    this.source = this.chord = this.ptt = undefined;
  }

  private startFallback(hotkey: Hotkey, problem: HotkeyStatus['problem']): HotkeyStatus {
    const ptt = this.createPushToTalk('toggle');
    const registered = this.deps.shortcuts.register(hotkey.accelerator, () => {
      if (this.onSeen) return this.onSeen({ accelerator: hotkey.accelerator, keyReleases: false });
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

  /** Sends a chord press to the pause's listener or to push-to-talk; its release goes where the press went. */
  private gate(ptt: PushToTalk, accelerator: string): ChordListener {
    let pressReachedPtt = false;
    return {
      pressed: (at) => {
        pressReachedPtt = !this.onSeen;
        if (this.onSeen) this.onSeen({ accelerator, keyReleases: true });
        else ptt.pressed(at);
      },
      released: (at) => {
        if (pressReachedPtt) ptt.released(at);
        pressReachedPtt = false;
      },
    };
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

/** What a start cut short by dispose() reports: nothing listens. */
function stoppedStatus(hotkey: Hotkey): HotkeyStatus {
  return { ...hotkey, effectiveMode: 'toggle', keyReleases: false };
}
