import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Floor, type FloorLane } from '../../electron/main/session/floor';
import { SessionStatusStore } from '../../electron/main/session/session-status';
import type { SessionStatus } from '../../shared/types';

/** A lane that records being cut off, with a state line of its own. */
function lane(id: string, initialName: string, log: string[]) {
  const status = new SessionStatusStore({ state: 'idle', detail: `${initialName} ready` });
  let busy = false;
  let name = initialName;
  const floorLane: FloorLane = {
    id,
    get name() {
      return name;
    },
    status,
    busy: () => busy,
    cutOff: (note) => {
      log.push(`${id}:cut:${note}`);
      busy = false;
    },
  };
  return { floorLane, status, setBusy: (on: boolean) => (busy = on), rename: (to: string) => (name = to) };
}

function rig() {
  const log: string[] = [];
  const app = new SessionStatusStore({ state: 'idle', detail: '' });
  const shown: SessionStatus[] = [];
  app.subscribe((status) => shown.push(status));
  const floor = new Floor(app, (id) => log.push(`show:${id}`));
  const assistant = lane('assistant', 'Assistant', log);
  const coder = lane('p-c0de00', 'Coder', log);
  floor.add(assistant.floorLane);
  floor.add(coder.floorLane);
  return { log, app, shown, floor, assistant, coder };
}

describe('the floor: one turn at a time across profiles', () => {
  it("a press of another profile's hotkey cuts the busy one off first, naming the profile pressed", () => {
    const { log, floor, assistant } = rig();
    assert.equal(floor.holder, 'assistant', 'the first profile holds it at launch');
    assistant.setBusy(true);
    floor.take('p-c0de00');
    assert.deepEqual(log, ["assistant:cut:Cut off: you pressed Coder's hotkey.", 'show:p-c0de00']);
    assert.equal(floor.holder, 'p-c0de00');
  });

  it('leaves an idle profile alone, and never cuts off the profile whose own key was pressed', () => {
    const { log, floor, assistant } = rig();
    floor.take('p-c0de00');
    assistant.setBusy(true);
    floor.take('assistant');
    floor.take('assistant');
    assert.deepEqual(log, ['show:p-c0de00', 'show:assistant']);
  });

  it("shows the holder's state line, and only the holder's", () => {
    const { app, floor, assistant, coder } = rig();
    coder.status.set({ state: 'thinking', detail: 'Coder thinks' });
    assert.equal(app.current.detail, '', 'a profile in the background is not shown');
    floor.take('p-c0de00');
    assert.equal(app.current.detail, 'Coder thinks');
    assistant.status.set({ state: 'error', detail: 'Assistant failed' });
    assert.equal(app.current.detail, 'Coder thinks');
    coder.status.set({ state: 'speaking', detail: 'Coder speaks' });
    assert.equal(app.current.state, 'speaking');
  });

  it('goes to another profile when the holder is deleted', () => {
    const { log, app, floor } = rig();
    floor.take('p-c0de00');
    floor.remove('p-c0de00');
    assert.equal(floor.holder, 'assistant');
    assert.equal(log.at(-1), 'show:assistant');
    assert.equal(app.current.detail, 'Assistant ready');
    floor.take('p-c0de00');
    assert.equal(floor.holder, 'assistant', 'a deleted profile cannot take it');
  });

  it('names the profile shown among all of them in the state line, and again after a rename', () => {
    const { app, floor, coder } = rig();
    const everyone = [
      { id: 'assistant', name: 'Assistant' },
      { id: 'p-c0de00', name: 'Coder' },
    ];
    assert.deepEqual(app.current.profile, { id: 'assistant', name: 'Assistant' });
    assert.deepEqual(app.current.profiles, everyone);
    floor.take('p-c0de00');
    assert.deepEqual(app.current.profile, { id: 'p-c0de00', name: 'Coder' });
    coder.rename('Hacker');
    floor.named();
    assert.deepEqual(app.current.profile, { id: 'p-c0de00', name: 'Hacker' });
    assert.deepEqual(app.current.profiles?.[1], { id: 'p-c0de00', name: 'Hacker' });
    floor.remove('p-c0de00');
    assert.deepEqual(app.current.profiles, [everyone[0]]);
  });

  it('choosing another profile shows it without cutting off the reply under way, which keeps the playback reports', () => {
    const { log, app, floor, assistant, coder } = rig();
    assistant.setBusy(true);
    assistant.status.set({ state: 'speaking', detail: 'Assistant speaks' });
    floor.select('p-c0de00');
    assert.deepEqual(log, ['show:p-c0de00'], 'nothing cut off');
    assert.equal(app.current.detail, 'Coder ready');
    assert.equal(floor.showing, 'p-c0de00');
    assert.equal(floor.holder, 'assistant', "the reply playing is still the Assistant's");
    coder.status.set({ state: 'thinking', detail: 'Coder thinks' });
    assert.equal(app.current.detail, 'Coder thinks', 'the profile shown is the one whose state is shown');
  });

  it("a press of the shown profile's hotkey still cuts off the reply of the one that was chosen away from", () => {
    const { log, floor, assistant } = rig();
    assistant.setBusy(true);
    floor.select('p-c0de00');
    floor.take('p-c0de00');
    assert.deepEqual(log, ['show:p-c0de00', "assistant:cut:Cut off: you pressed Coder's hotkey."]);
    assert.equal(floor.holder, 'p-c0de00');
  });

  it('says on the reply cut off what the user did instead: wrote, or sent a turn again', () => {
    const { log, floor, assistant } = rig();
    assistant.setBusy(true);
    floor.take('p-c0de00', 'text');
    floor.take('assistant');
    assistant.setBusy(true);
    floor.take('p-c0de00', 'retry');
    assert.deepEqual(
      log.filter((line) => line.includes(':cut:')),
      ['assistant:cut:Cut off: you wrote to Coder.', "assistant:cut:Cut off: you sent Coder's turn again."],
    );
  });
});
