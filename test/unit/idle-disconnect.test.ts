import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IdleDisconnect } from '../../electron/main/session/idle-disconnect';

/** A clock the test advances by hand. */
function manualTimers() {
  let now = 0;
  const pending = new Map<number, { at: number; run: () => void }>();
  let nextId = 1;
  return {
    setTimer: (run: () => void, ms: number) => {
      const id = nextId++;
      pending.set(id, { at: now + ms, run });
      return id;
    },
    clearTimer: (id: unknown) => void pending.delete(id as number),
    advance(ms: number) {
      now += ms;
      for (const [id, timer] of [...pending]) {
        if (timer.at <= now) {
          pending.delete(id);
          timer.run();
        }
      }
    },
  };
}

function setup(minutes: number, connected = true) {
  const timers = manualTimers();
  const state = { minutes, connected, disconnects: 0 };
  const idle = new IdleDisconnect({
    minutes: () => state.minutes,
    connected: () => state.connected,
    disconnect: () => {
      state.disconnects++;
      state.connected = false;
    },
    setTimer: timers.setTimer,
    clearTimer: timers.clearTimer,
  });
  return { idle, timers, state };
}

describe('IdleDisconnect', () => {
  it('closes the session after the configured minutes of idleness, once', () => {
    const { idle, timers, state } = setup(10);
    idle.stateChanged('idle');
    timers.advance(10 * 60_000 - 1);
    assert.equal(state.disconnects, 0);
    timers.advance(1);
    assert.equal(state.disconnects, 1);
    idle.stateChanged('idle');
    timers.advance(60 * 60_000);
    assert.equal(state.disconnects, 1, 'nothing to close the second time');
  });

  it('starts counting again after every turn', () => {
    const { idle, timers, state } = setup(5);
    idle.stateChanged('idle');
    timers.advance(4 * 60_000);
    idle.stateChanged('listening');
    timers.advance(10 * 60_000);
    assert.equal(state.disconnects, 0, 'never during a turn');
    idle.stateChanged('idle');
    timers.advance(5 * 60_000);
    assert.equal(state.disconnects, 1);
  });

  it('never disconnects when set to 0 minutes, or after cancel', () => {
    const off = setup(0);
    off.idle.stateChanged('idle');
    off.timers.advance(24 * 60 * 60_000);
    assert.equal(off.state.disconnects, 0);
    const cancelled = setup(1);
    cancelled.idle.stateChanged('idle');
    cancelled.idle.cancel();
    cancelled.timers.advance(2 * 60_000);
    assert.equal(cancelled.state.disconnects, 0);
  });
});
