import type { HotkeySeen } from '../../../shared/hotkey-check';
import type { Hotkey, HotkeyStatus, ScreenHotkeyStatus } from '../../../shared/types';
import type { ShortcutPort } from '../ports';
import { keysBeyond, parseAccelerator, type ChordKey } from './accelerator';
import { autoRepeatWindowMs, ChordTracker, type ChordListener } from './chord-tracker';
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
  /** The push-to-talk hotkey's; the screen hotkey's, when it listens, shares the one key source. */
  private talk: PushToTalk | undefined;
  private look: PushToTalk | undefined;
  private chords: ChordTracker[] = [];
  private source: KeySource | undefined;
  /** Kept across restarts: saving a new hotkey during a test keeps the test going. */
  private onSeen: ((seen: HotkeySeen) => void) | undefined;
  /** Restarts run one after another: two at once would both listen to the one key hook. */
  private restarts: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(private readonly deps: HotkeyDeps) {}

  /**
   * (Re)starts listening with `hotkey`, and `screenAccelerator` for turns that show the screen
   * (none when screen sharing is off), after any restart still under way; a turn in progress ends first.
   */
  start(hotkey: Hotkey, screenAccelerator?: string): Promise<HotkeyStatus> {
    const started = this.restarts.then(() => this.restart(hotkey, screenAccelerator));
    this.restarts = started.catch(() => undefined);
    return started;
  }

  private async restart(hotkey: Hotkey, screenAccelerator: string | undefined): Promise<HotkeyStatus> {
    // Its key may be about to change: the turn ends as a tap would end it, so the microphone stops.
    const now = this.deps.now();
    for (const ptt of [this.talk, this.look]) if (ptt?.talking) ptt.stop(now);
    this.stopListening();
    const parsed = parseAccelerator(hotkey.accelerator, keycodes);
    const availability = await this.deps.probe();
    if (this.disposed) return stoppedStatus(hotkey);
    if (parsed.ok && availability.available) return this.startKeyHook(hotkey, parsed.chord, screenAccelerator);
    const problem = parsed.ok
      ? availability.available
        ? undefined
        : {
            reason: availability.reason,
            fix: `${availability.fix} Until then the hotkey toggles: tap to talk, tap again to stop.`,
          }
      : { reason: parsed.error, fix: 'Choose another hotkey in Settings.' };
    return this.startFallback(hotkey, problem, screenAccelerator);
  }

  private async startKeyHook(
    hotkey: Hotkey,
    chord: ChordKey[],
    screenAccelerator: string | undefined,
  ): Promise<HotkeyStatus> {
    const screenChord = screenAccelerator === undefined ? undefined : parseAccelerator(screenAccelerator, keycodes);
    const other = screenChord?.ok ? screenChord.chord : [];
    this.talk = this.createPushToTalk(hotkey.mode, false);
    this.chords = [this.chordFor(chord, keysBeyond(chord, other), this.talk, hotkey.accelerator)];
    let screen: ScreenHotkeyStatus | undefined;
    if (screenAccelerator !== undefined && screenChord) {
      screen = screenChord.ok
        ? this.listenForScreen(hotkey.mode, screenAccelerator, screenChord.chord, keysBeyond(screenChord.chord, chord))
        : {
            accelerator: screenAccelerator,
            problem: { reason: screenChord.error, fix: 'Choose another screen hotkey in Settings.' },
          };
    }
    const chords = this.chords;
    const source = await this.deps.startKeySource({
      keyDown: (code, at) => chords.forEach((tracker) => tracker.keyDown(code, at)),
      keyUp: (code, at) => chords.forEach((tracker) => tracker.keyUp(code, at)),
    });
    if (this.disposed) {
      source.stop();
      return stoppedStatus(hotkey);
    }
    this.source = source;
    return { ...hotkey, effectiveMode: hotkey.mode, keyReleases: true, ...(screen && { screen }) };
  }

  /** The screen hotkey through the key hook: same mode as push-to-talk. */
  private listenForScreen(
    mode: Hotkey['mode'],
    accelerator: string,
    chord: ChordKey[],
    excluded: number[],
  ): ScreenHotkeyStatus {
    this.look = this.createPushToTalk(mode, true);
    this.chords.push(this.chordFor(chord, excluded, this.look, accelerator));
    return { accelerator };
  }

  /**
   * `excluded`: the keys that make it the other hotkey's chord, when that one is this one plus
   * more; held with it, the press is the other hotkey's. Otherwise any keys may be held too.
   */
  private chordFor(chord: ChordKey[], excluded: number[], ptt: PushToTalk, accelerator: string): ChordTracker {
    return new ChordTracker(chord, this.gate(ptt, accelerator), autoRepeatWindowMs, excluded);
  }

  /** The turn ended without the hotkey (a failure, a typed message…): push-to-talk starts afresh. */
  turnEndedElsewhere(): void {
    this.talk?.endedElsewhere();
    this.look?.endedElsewhere();
  }

  /** Starts or ends a hands-free turn without the hotkey (tray "Talk"). */
  toggleTurn(): void {
    const now = this.deps.now();
    if (this.look?.talking) return this.look.stop(now);
    if (this.talk?.talking) this.talk.stop(now);
    else this.talk?.startHandsFree(now);
  }

  /** Reports presses of the hotkeys to `onSeen` instead of starting turns, until `resume`. */
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
    for (const chord of this.chords) chord.dispose();
    this.talk?.dispose();
    this.look?.dispose();
    this.deps.shortcuts.unregisterAll();
    this.source = this.talk = this.look = undefined;
    this.chords = [];
  }

  private startFallback(
    hotkey: Hotkey,
    problem: HotkeyStatus['problem'],
    screenAccelerator: string | undefined,
  ): HotkeyStatus {
    this.talk = this.createPushToTalk('toggle', false);
    const registered = this.registerToggle(hotkey.accelerator, this.talk);
    const screen = screenAccelerator === undefined ? undefined : this.registerScreenToggle(screenAccelerator);
    const status = { ...hotkey, effectiveMode: 'toggle' as const, keyReleases: false, ...(screen && { screen }) };
    if (!registered) {
      return {
        ...status,
        problem: {
          reason: `${problem ? `${problem.reason} ` : ''}${hotkey.accelerator} could not be registered: another application may be using it.`,
          fix: 'Choose another hotkey in Settings, or use Talk in the tray menu.',
        },
      };
    }
    return { ...status, problem };
  }

  private registerScreenToggle(accelerator: string): ScreenHotkeyStatus {
    this.look = this.createPushToTalk('toggle', true);
    if (this.registerToggle(accelerator, this.look)) return { accelerator };
    return {
      accelerator,
      problem: {
        reason: `${accelerator} could not be registered: another application may be using it.`,
        fix: 'Choose another screen hotkey in Settings.',
      },
    };
  }

  /** A global shortcut sees presses only: each one is a tap. */
  private registerToggle(accelerator: string, ptt: PushToTalk): boolean {
    return this.deps.shortcuts.register(accelerator, () => {
      if (this.onSeen) return this.onSeen({ accelerator, keyReleases: false });
      const now = this.deps.now();
      ptt.pressed(now);
      ptt.released(now);
    });
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

  /** One turn at a time: a turn of one hotkey ends the other's, as the turn controller does. */
  private createPushToTalk(mode: Hotkey['mode'], look: boolean): PushToTalk {
    const { turns } = this.deps;
    return new PushToTalk(
      {
        mode,
        hybridHoldMs: defaultPushToTalk.hybridHoldMs,
        maxTurnMs: this.deps.maxTurnMs?.() ?? defaultPushToTalk.maxTurnMs,
      },
      {
        turnStarted: (at) => {
          (look ? this.talk : this.look)?.endedElsewhere();
          turns.turnStarted(at, { look });
        },
        turnEnded: (at, reason) => turns.turnEnded(at, reason),
      },
    );
  }
}

/** What a start cut short by dispose() reports: nothing listens. */
function stoppedStatus(hotkey: Hotkey): HotkeyStatus {
  return { ...hotkey, effectiveMode: 'toggle', keyReleases: false };
}
