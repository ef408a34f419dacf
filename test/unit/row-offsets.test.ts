import assert from 'node:assert/strict';
import { it } from 'node:test';
import { rowAt } from '../../renderer/transcript/row-offsets';

it('finds the row at a height, clamped to the rows there are', () => {
  // Rows of 10, 30 and 20 pixels.
  const offsets = Float64Array.from([0, 10, 40, 60]);
  assert.deepEqual(
    [-5, 0, 9.9, 10, 39, 40, 59, 60, 1000].map((y) => rowAt(offsets, y)),
    [0, 0, 0, 1, 1, 2, 2, 2, 2],
  );
  assert.equal(rowAt(Float64Array.from([0]), 50), 0, 'no rows');
  const many = Float64Array.from({ length: 20_001 }, (_, i) => i * 72);
  assert.equal(rowAt(many, 72 * 12_345 + 1), 12_345);
});
