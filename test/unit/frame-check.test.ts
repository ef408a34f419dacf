import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFrame, jpegDimensions } from '../../electron/main/screen/frame-check';
import { MAX_FRAME_BYTES } from '../../shared/frame-size';
import { blocksPicture, encodeJpeg } from '../support/pictures';

const jpegOf = (width: number, height: number) =>
  new Uint8Array(
    encodeJpeg(
      blocksPicture(width, height, 2, [
        [200, 40, 40],
        [40, 70, 200],
      ]),
    ),
  );

/** A JPEG made by hand: SOI, an APP0 segment, a frame header of the given kind and size, then EOI. */
function handMade(marker: number, width: number, height: number): Uint8Array {
  const app0 = [0xff, 0xe0, 0x00, 0x06, 0x4a, 0x46, 0x49, 0x46];
  const frame = [0xff, marker, 0x00, 0x0b, 8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0];
  return new Uint8Array([0xff, 0xd8, ...app0, 0xff, ...frame, 0xff, 0xd9]);
}

describe('screen frame check', () => {
  it('accepts a JPEG of the size it claims, within the resolution', () => {
    assert.deepEqual(checkFrame({ jpeg: jpegOf(1024, 576), width: 1024, height: 576 }, 'MEDIA_RESOLUTION_MEDIUM'), {
      ok: true,
      width: 1024,
      height: 576,
    });
    assert.deepEqual(checkFrame({ jpeg: jpegOf(576, 1024), width: 576, height: 1024 }, undefined).ok, true);
    // A screen smaller than the resolution's size is sent as it is.
    assert.deepEqual(checkFrame({ jpeg: jpegOf(800, 600), width: 800, height: 600 }, 'MEDIA_RESOLUTION_HIGH').ok, true);
  });

  it('reads the size from progressive and fill-byte-padded headers too', () => {
    assert.deepEqual(jpegDimensions(handMade(0xc2, 1280, 720)), { width: 1280, height: 720 });
    const padded = handMade(0xc0, 768, 432);
    const withFill = new Uint8Array([...padded.subarray(0, 10), 0xff, ...padded.subarray(10)]);
    assert.deepEqual(jpegDimensions(withFill), { width: 768, height: 432 });
  });

  it('refuses a frame larger than the media resolution allows', () => {
    const verdict = checkFrame({ jpeg: jpegOf(1280, 720), width: 1280, height: 720 }, 'MEDIA_RESOLUTION_LOW');
    assert.deepEqual(verdict, {
      ok: false,
      reason: 'The screen frame was refused: it is 1280×720, larger than 768 px on its long side.',
    });
  });

  it('refuses a frame whose claimed size is not the one in its header', () => {
    const verdict = checkFrame({ jpeg: jpegOf(640, 360), width: 768, height: 432 }, 'MEDIA_RESOLUTION_LOW');
    assert.deepEqual(verdict, {
      ok: false,
      reason: 'The screen frame was refused: it is 640×360, not 768×432 as it claims.',
    });
  });

  it('refuses bytes that are not a whole JPEG, with the reason, never throwing', () => {
    const jpeg = jpegOf(64, 64);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const cases: [Uint8Array, string][] = [
      [png, 'it does not start like a JPEG'],
      [new Uint8Array(), 'it does not start like a JPEG'],
      [jpeg.subarray(0, jpeg.length - 100), 'it does not end like a JPEG'],
      [new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), 'it has no frame header'],
      [new Uint8Array([0xff, 0xd8, 0x00, 0x00, 0x00, 0xff, 0xd9]), 'its header is broken at byte 2'],
      // A segment whose length runs past the end of the bytes.
      [new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x7f, 0xff, 0x00, 0xff, 0xd9]), 'its header is broken at byte 2'],
      [handMade(0xc0, 0, 720), 'it is empty (0×720)'],
    ];
    for (const [bytes, reason] of cases) {
      const verdict = checkFrame({ jpeg: bytes, width: 64, height: 64 }, undefined);
      assert.deepEqual(verdict, { ok: false, reason: `The screen frame was refused: ${reason}.` });
    }
    const notBytes = checkFrame({ jpeg: 'ffd8' as unknown as Uint8Array, width: 1, height: 1 }, undefined);
    assert.deepEqual(notBytes, { ok: false, reason: 'The screen frame was refused: it has no bytes.' });
  });

  it('refuses a frame over the size limit before reading it', () => {
    const huge = new Uint8Array(MAX_FRAME_BYTES + 1);
    huge.set(handMade(0xc0, 1024, 576));
    huge.set([0xff, 0xd9], huge.length - 2);
    assert.deepEqual(checkFrame({ jpeg: huge, width: 1024, height: 576 }, undefined), {
      ok: false,
      reason: 'The screen frame was refused: it is 1025 KB, more than 1024 KB.',
    });
  });
});
