import { setTimeout as sleep } from 'node:timers/promises';
import type { MediaResolutionSetting } from '../../shared/frame-size';
import { watchVideoWire, type WireVideo } from '../../test/demo/video-wire';
import { Conversation } from '../../test/harness/conversation';
import { desktop } from '../../test/support/screen-pictures';
import { wallClock } from '../lib/clock';

export type ResolutionName = 'LOW' | 'MEDIUM' | 'HIGH';

/** For one media resolution: key down → first picture on the wire, and each picture's size. */
export interface ScreenFrameTimes {
  ms: number[];
  kb: number[];
  /** The first screen turn of the app's life (the frame worker and the capture start cold, the session connects). */
  firstMs: number;
}

const screenKeys = 'ctrl+alt+shift+space';
const resolutions: Record<ResolutionName, MediaResolutionSetting> = {
  LOW: 'MEDIA_RESOLUTION_LOW',
  MEDIUM: 'MEDIA_RESOLUTION_MEDIUM',
  HIGH: 'MEDIA_RESOLUTION_HIGH',
};

/**
 * `turns` + 1 screen turns with real key events, for each media resolution, on a 2560×1440 screen
 * of the harness (its display-media stand-in: the OS's capture start is not in these figures).
 * Key down is when the key hook delivered the press; the picture is on the wire when main's socket
 * sends it (test/demo/video-wire.ts).
 */
export async function measureScreenFrames(turns: number): Promise<Record<ResolutionName, ScreenFrameTimes>> {
  const results: Partial<Record<ResolutionName, ScreenFrameTimes>> = {};
  for (const [name, resolution] of Object.entries(resolutions) as [ResolutionName, MediaResolutionSetting][]) {
    results[name] = await measureResolution(resolution, turns);
  }
  return results as Record<ResolutionName, ScreenFrameTimes>;
}

async function measureResolution(resolution: MediaResolutionSetting, turns: number): Promise<ScreenFrameTimes> {
  const wire = watchVideoWire();
  const talk = await Conversation.start({
    screens: [{ id: 'screen:1:0', name: 'Screen 1', displayId: '1', picture: desktop(2560, 1440) }],
    settings: { mediaResolution: resolution },
    emulator: { pacing: { mode: 'fast' }, scenario: { turns: Array.from({ length: turns + 1 }, () => seen) } },
  });
  try {
    const firsts: WireVideo[] = [];
    const delays: number[] = [];
    for (let turn = 0; turn <= turns; turn++) {
      const { keyDownAt, first } = await screenTurn(talk, wire.videos);
      delays.push(first.at - keyDownAt);
      firsts.push(first);
    }
    const [firstMs, ...ms] = delays;
    return { ms, kb: firsts.slice(1).map((video) => video.bytes / 1024), firstMs: firstMs! };
  } finally {
    wire.stop();
    await talk.close();
  }
}

const seen = { reply: { inputTranscription: 'what is this', outputTranscription: 'I see it.' } };

/** Holds the screen hotkey until its first picture is on the wire, then a little more, and waits for the reply. */
async function screenTurn(talk: Conversation, videos: WireVideo[]): Promise<{ keyDownAt: number; first: WireVideo }> {
  const before = videos.length;
  const pressedAt = wallClock();
  await talk.keyDown(screenKeys);
  const deadline = wallClock() + 10_000;
  while (videos.length === before) {
    if (wallClock() > deadline) throw new Error('no picture on the wire within 10 s of the key down');
    await sleep(5);
  }
  await sleep(300);
  await talk.keyUp(screenKeys);
  await untilIdle(talk);
  const press = talk.harness.keyEvents.find((event) => event.type === 'down' && event.at >= pressedAt);
  if (!press) throw new Error('the key hook saw no press');
  return { keyDownAt: press.at, first: videos[before]! };
}

async function untilIdle(talk: Conversation): Promise<void> {
  const deadline = wallClock() + 15_000;
  await sleep(50);
  while (talk.harness.app.status.current.state !== 'idle') {
    if (wallClock() > deadline) throw new Error(`no reply within 15 s (${talk.harness.app.status.current.detail})`);
    await sleep(10);
  }
}
