import type { Timers } from '../../electron/main/transcripts/conversation-log';

/** Timers that fire only when the test moves time on. */
export class ManualTimers implements Timers {
  now = Date.parse('2026-11-21T10:00:00Z');
  private queue: { at: number; callback: () => void; handle: number }[] = [];
  private nextHandle = 1;

  set(callback: () => void, ms: number): unknown {
    const handle = this.nextHandle++;
    this.queue.push({ at: this.now + ms, callback, handle });
    return handle;
  }

  clear(handle: unknown): void {
    this.queue = this.queue.filter((timer) => timer.handle !== handle);
  }

  advance(ms: number): void {
    const until = this.now + ms;
    for (let due = this.next(until); due; due = this.next(until)) {
      this.now = due.at;
      this.queue = this.queue.filter((timer) => timer !== due);
      due.callback();
    }
    this.now = until;
  }

  private next(until: number) {
    return this.queue.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
  }
}
