import { z } from 'zod';

/** Parley's two hotkeys: push to talk, and the screen hotkey (a push-to-talk turn in which Gemini sees the screen). */
export const HotkeyFor = z.enum(['talk', 'screen']);
export type HotkeyFor = z.infer<typeof HotkeyFor>;

/** A hotkey the settings window's recorder captured, to be checked before saving. */
export const HotkeyCheckRequest = z
  .object({
    accelerator: z.string().max(200),
    /** Which hotkey it would become (push to talk when absent): each may not use the other's keys. */
    for: HotkeyFor.optional(),
    /** Whose hotkey it would be (the first profile when absent): no two profiles' hotkeys may be the same keys. */
    profile: z.string().max(40).optional(),
  })
  .strict();
export type HotkeyCheckRequest = z.infer<typeof HotkeyCheckRequest>;

export const HotkeyProblem = z.object({
  /** Errors block saving the hotkey; warnings are shown and allowed. */
  severity: z.enum(['error', 'warning']),
  text: z.string(),
});
export type HotkeyProblem = z.infer<typeof HotkeyProblem>;

export const HotkeyCheck = z.object({
  /** The canonical spelling ("Control+Shift+Space"), which is what gets saved. */
  accelerator: z.string(),
  /** False when any problem is an error. */
  ok: z.boolean(),
  problems: z.array(HotkeyProblem),
});
export type HotkeyCheck = z.infer<typeof HotkeyCheck>;

/** The settings window is recording or testing the hotkey: chord presses are reported, not turned into turns. */
export const HotkeyRecording = z.object({ active: z.boolean() }).strict();
export type HotkeyRecording = z.infer<typeof HotkeyRecording>;

/** The hotkey reached Parley while the settings window was testing it. */
export const HotkeySeen = z.object({
  accelerator: z.string(),
  /** True when the key hook saw it (so releases are seen too); false for the global-shortcut fallback. */
  keyReleases: z.boolean(),
});
export type HotkeySeen = z.infer<typeof HotkeySeen>;
