// The audio page's side of a screen turn: main opens a capture of the screen
// for a turn, grabs frames from it and closes it. Each grab gets exactly one
// answer, a frame or why not. A capture is held only for its turn: closing it
// (or opening one for another turn) stops its track at once, which takes the
// system's recording indicator away, and no grab of a closed turn gets a frame.
import { messageOf } from '../../shared/error-message';
import type { MediaResolutionSetting } from '../../shared/frame-size';
import type { ScreenFailed, ScreenFrame } from '../../shared/screen-frame';
import { ScreenGrabber } from './screen-grabber';

export interface ScreenCaptureReports {
  frame(frame: ScreenFrame): void;
  failed(failure: ScreenFailed): void;
}

type Failure = Pick<ScreenFailed, 'kind' | 'message'>;

type Opened = { grabber: ScreenGrabber } | { failure: Failure };

/** One turn's capture: its grabber once the track is open, or why there is none. */
interface TurnCapture {
  turnId: number;
  opened: Promise<Opened>;
  closed: boolean;
}

export class ScreenCapture {
  private current: TurnCapture | undefined;

  constructor(
    private readonly reports: ScreenCaptureReports,
    private readonly openTrack: () => Promise<MediaStreamTrack> = requestScreenTrack,
  ) {}

  /** Opens a capture for the turn (main's display-media handler picks the screen); a repeat for the same turn is a no-op. */
  open(turnId: number): void {
    if (this.current?.turnId === turnId) return;
    if (this.current) this.close(this.current.turnId);
    const capture: TurnCapture = { turnId, closed: false, opened: this.start(turnId, () => capture.closed) };
    this.current = capture;
  }

  /** Answers the grab with a frame of the turn's capture, waiting for the capture to open, or with why not. */
  async grab(turnId: number, grabId: number, resolution: MediaResolutionSetting | undefined): Promise<void> {
    const capture = this.current;
    if (capture?.turnId !== turnId) {
      this.reports.failed({ turnId, grabId, kind: 'failed', message: `turn ${turnId} has no open screen capture` });
      return;
    }
    const opened = await capture.opened;
    if ('failure' in opened) {
      this.reports.failed({ turnId, grabId, ...opened.failure });
      return;
    }
    try {
      // A close meanwhile makes the grabber fail this grab: a closed turn gets no frame.
      const { jpeg, width, height } = await opened.grabber.grab(resolution);
      this.reports.frame({ turnId, grabId, jpeg, width, height });
    } catch (error) {
      this.reports.failed({ turnId, grabId, kind: 'failed', message: messageOf(error) });
    }
  }

  /** Stops the turn's capture (a close for another turn, or a repeat, changes nothing). */
  close(turnId: number): void {
    const capture = this.current;
    if (capture?.turnId !== turnId) return;
    this.current = undefined;
    capture.closed = true;
    // An open still under way stops its track as soon as it has one (see start).
    void capture.opened.then((opened) => {
      if ('grabber' in opened) opened.grabber.close();
    });
  }

  private async start(turnId: number, closed: () => boolean): Promise<Opened> {
    let track: MediaStreamTrack;
    try {
      track = await this.openTrack();
    } catch (error) {
      return this.openFailed(turnId, openFailure(error));
    }
    if (closed()) {
      track.stop();
      return { failure: { kind: 'failed', message: 'the screen capture was closed' } };
    }
    try {
      return { grabber: ScreenGrabber.open(track) };
    } catch (error) {
      track.stop();
      return this.openFailed(turnId, { kind: 'failed', message: messageOf(error) });
    }
  }

  private openFailed(turnId: number, failure: Failure): { failure: Failure } {
    this.reports.failed({ turnId, ...failure });
    return { failure };
  }
}

/**
 * The screen at full resolution: the frame worker scales it (the browser's own downscale is
 * bilinear, blurs screen text, and never runs in the tests). Five pictures a second at most: a turn
 * grabs one a second, and more would only cost the system copies.
 */
async function requestScreenTrack(): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { max: 5 } }, audio: false });
  const [track] = stream.getVideoTracks();
  if (!track) throw new Error('the screen capture gave no picture');
  return track;
}

/** Why getDisplayMedia failed: refused (by main's handler, the system's permission or the user's picker), or otherwise. */
function openFailure(error: unknown): Failure {
  const name = error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError') {
    return { kind: 'refused', message: `the screen capture was not allowed (${messageOf(error)})` };
  }
  return { kind: 'failed', message: `the screen capture could not start (${name || 'error'}: ${messageOf(error)})` };
}
