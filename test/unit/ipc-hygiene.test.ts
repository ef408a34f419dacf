import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { it } from 'node:test';
import { eventChannels, invokeChannels } from '../../shared/ipc/channels';
import { projectRoot } from '../harness/paths';

function sourceFiles(folder: string): string[] {
  return readdirSync(join(projectRoot, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|svelte|js|html)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

const shippedOutsideShared = [...sourceFiles('electron'), ...sourceFiles('renderer')];

it('spells channel names only in shared/', () => {
  const names = [...Object.values(invokeChannels), ...Object.values(eventChannels)];
  for (const file of shippedOutsideShared) {
    const text = readFileSync(file, 'utf8');
    for (const name of names) {
      assert.ok(
        !text.includes(`'${name}'`) && !text.includes(`"${name}"`),
        `${relative(projectRoot, file)} names ${name}`,
      );
    }
  }
});

it('keeps ipcRenderer out of renderer code', () => {
  for (const file of sourceFiles('renderer')) {
    assert.ok(
      !readFileSync(file, 'utf8').includes('ipcRenderer'),
      `${relative(projectRoot, file)} mentions ipcRenderer`,
    );
  }
});
