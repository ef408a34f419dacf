import type { HotkeySeen } from '../../../shared/hotkey-check';
import type { HotkeyBindingStatus, HotkeyStatus, PushToTalkMode } from '../../../shared/types';
import type { ShortcutPort } from '../ports';
import { keysBeyond, parseAccelerator } from './accelerator';
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

/** A hotkey that starts a profile's turns: its push to talk, or (`look`) its turns that also show the screen. */
export interface HotkeyBinding {
  profile: string;
  look: boolean;
  /** Electron accelerator syntax, e.g. "Control+Shift+Space". */
  accelerator: string;
  mode: PushToTalkMode;
}

type Problem = HotkeyStatus['problem'];

/** A binding as it listens: its presses reach its push-to-talk through the key hook or a global shortcut. */
interface Listening {
  binding: HotkeyBinding;
  ptt: PushToTalk;
}

/**
 * Listens for the hotkeys with the best means available: global key downs
 * and ups from uiohook, or, where key releases cannot be seen, Electron's
 * global shortcuts in toggle mode, and says which and why.
 * While paused (the settings window records or tests a hotkey), presses are
 * reported to the pause's listener instead of starting turns.
 */
export class HotkeyService {
  private listening: Listening[] = [];
  /** The bindings the key hook watches share its one key source. */
  private chords: ChordTracker[] = [];
  private source: KeySource | undefined;
  /** Kept across restarts: saving a new hotkey during a test keeps the test going. */
  private onSeen: ((seen: HotkeySeen) => void) | undefined;
  /** Restarts run one after another: two at once would both listen to the one key hook. */
  private restarts: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(private readonly deps: HotkeyDeps) {}

  /** (Re)starts listening for `bindings`, after any restart still under way; a turn in progress ends first. */
  start(bindings: readonly HotkeyBinding[]): Promise<HotkeyStatus> {
    const started = this.restarts.then(() => this.restart(bindings));
    this.restarts = started.catch(() => undefined);
    return started;
  }

  private async restart(bindings: readonly HotkeyBinding[]): Promise<HotkeyStatus> {
    // Its key may be about to change: the turn ends as a tap would end it, so the microphone stops.
    const now = this.deps.now();
    for (const { ptt } of this.listening) if (ptt.talking) ptt.stop(now);
    this.stopListening();
    const availability = await this.deps.probe();
    if (this.disposed) return stoppedStatus(bindings);
    if (availability.available) return this.startKeyHook(bindings);
    return this.startFallback(bindings, {
      reason: availability.reason,
      fix: `${availability.fix} Until then the hotkey toggles: tap to talk, tap again to stop.`,
    });
  }

  /** Every binding the hook can watch listens through it; one it cannot becomes a global shortcut on its own. */
  private async startKeyHook(bindings: readonly HotkeyBinding[]): Promise<HotkeyStatus> {
    const parsed = bindings.map((binding) => parseAccelerator(binding.accelerator, keycodes));
    const chords = parsed.flatMap((result) => (result.ok ? [result.chord] : []));
    const statuses = bindings.map((binding, i) => {
      const result = parsed[i]!;
      if (!result.ok) {
        return this.listenForShortcut(binding, {
          reason: `${result.error}.`,
          fix: `Choose another ${nounFor(binding)} in Settings. Until then it toggles: tap to talk, tap again to stop.`,
        });
      }
      const ptt = this.listen(binding, binding.mode);
      // A chord that is this one plus more keys is another hotkey: held with those keys, the press is
      // that one's. Otherwise any keys may be held too.
      const excluded = chords.flatMap((other) => keysBeyond(result.chord, other));
      this.chords.push(
        new ChordTracker(result.chord, this.gate(ptt, binding.accelerator), autoRepeatWindowMs, excluded),
      );
      return statusOf(binding, binding.mode);
    });
    const trackers = this.chords;
    const source = await this.deps.startKeySource({
      keyDown: (code, at) => trackers.forEach((tracker) => tracker.keyDown(code, at)),
      keyUp: (code, at) => trackers.forEach((tracker) => tracker.keyUp(code, at)),
    });
    if (this.disposed) {
      source.stop();
      return stoppedStatus(bindings);
    }
    this.source = source;
    return { keyReleases: true, bindings: statuses };
  }

  /** Without the key hook, every binding is a global shortcut: it sees presses only, so each toggles. */
  private startFallback(bindings: readonly HotkeyBinding[], problem: Problem): HotkeyStatus {
    return { keyReleases: false, problem, bindings: bindings.map((binding) => this.listenForShortcut(binding)) };
  }

  private listenForShortcut(binding: HotkeyBinding, problem?: Problem): HotkeyBindingStatus {
    const ptt = this.listen(binding, 'toggle');
    if (this.registerToggle(binding.accelerator, ptt)) return statusOf(binding, 'toggle', problem);
    return statusOf(binding, 'toggle', {
      reason: `${problem ? `${problem.reason} ` : ''}${binding.accelerator} could not be registered: another application may be using it.`,
      fix: `Choose another ${nounFor(binding)} in Settings${binding.look ? '' : ', or use Talk in the tray menu'}.`,
    });
  }

  /** The turn ended without the hotkey (a failure, a typed message…): push-to-talk starts afresh. */
  turnEndedElsewhere(): void {
    for (const { ptt } of this.listening) ptt.endedElsewhere();
  }

  /** Ends the turn under way, whichever hotkey started it, or starts a hands-free turn of `profile` (tray "Talk"). */
  toggleTurn(profile: string): void {
    const now = this.deps.now();
    const talking = this.listening.find(({ ptt }) => ptt.talking);
    if (talking) return talking.ptt.stop(now);
    this.listening.find(({ binding }) => binding.profile === profile && !binding.look)?.ptt.startHandsFree(now);
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
    for (const { ptt } of this.listening) ptt.dispose();
    this.deps.shortcuts.unregisterAll();
    this.source = undefined;
    this.chords = [];
    this.listening = [];
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

  /** One turn at a time: a turn of one hotkey ends every other's, as the turn controller does. */
  private listen(binding: HotkeyBinding, mode: PushToTalkMode): PushToTalk {
    const { turns } = this.deps;
    const { profile, look } = binding;
    const ptt = new PushToTalk(
      {
        mode,
        hybridHoldMs: defaultPushToTalk.hybridHoldMs,
        maxTurnMs: this.deps.maxTurnMs?.() ?? defaultPushToTalk.maxTurnMs,
      },
      {
        turnStarted: (at) => {
          for (const other of this.listening) if (other.ptt !== ptt) other.ptt.endedElsewhere();
          turns.turnStarted(at, { profile, look });
        },
        turnEnded: (at, reason) => turns.turnEnded(at, reason),
      },
    );
    this.listening.push({ binding, ptt });
    return ptt;
  }
}

/** How the settings and the messages name a binding. */
function nounFor({ look }: HotkeyBinding): string {
  return look ? 'screen hotkey' : 'hotkey';
}

function statusOf(
  { profile, look, accelerator, mode }: HotkeyBinding,
  effectiveMode: PushToTalkMode,
  problem?: Problem,
): HotkeyBindingStatus {
  return { profile, look, accelerator, mode, effectiveMode, ...(problem && { problem }) };
}

/** What a start cut short by dispose() reports: nothing listens. */
function stoppedStatus(bindings: readonly HotkeyBinding[]): HotkeyStatus {
  return { keyReleases: false, bindings: bindings.map((binding) => statusOf(binding, 'toggle')) };
}
