// Draws the tray icons in resources/ (one per session state), so they can be
// changed in code review rather than in an image editor: `node scripts/make-tray-icons.mjs`.
// Each state differs in shape as well as colour, for users who cannot tell the colours apart.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const size = 32;
const supersample = 4;

const colours = {
  green: [22, 163, 74],
  amber: [217, 119, 6],
  red: [220, 38, 38],
  blue: [37, 99, 235],
  white: [255, 255, 255],
};

// Each icon: a list of layers, each a colour and a test "is this point (in 0..1 units) inside?".
const disc = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ring = (cx, cy, r, width) => (x, y) => Math.abs(Math.hypot(x - cx, y - cy) - r) <= width / 2;
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const any =
  (...shapes) =>
  (x, y) =>
    shapes.some((inside) => inside(x, y));

const icons = {
  // A calm, filled circle: ready.
  idle: [[colours.green, disc(0.5, 0.5, 0.44)]],
  // An open ring: not there yet.
  connecting: [[colours.amber, ring(0.5, 0.5, 0.36, 0.14)]],
  // The recording convention: a red disc with a white centre.
  listening: [
    [colours.red, disc(0.5, 0.5, 0.44)],
    [colours.white, disc(0.5, 0.5, 0.16)],
  ],
  // Three dots: waiting for the answer.
  thinking: [
    [colours.blue, disc(0.5, 0.5, 0.44)],
    [colours.white, any(disc(0.28, 0.5, 0.07), disc(0.5, 0.5, 0.07), disc(0.72, 0.5, 0.07))],
  ],
  // Sound bars: the reply is playing.
  speaking: [
    [colours.blue, disc(0.5, 0.5, 0.44)],
    [colours.white, any(rect(0.27, 0.38, 0.35, 0.62), rect(0.46, 0.26, 0.54, 0.74), rect(0.65, 0.38, 0.73, 0.62))],
  ],
  // An eye on the recording red: the screen is being seen.
  seeing: [
    [colours.red, disc(0.5, 0.5, 0.44)],
    [colours.white, (x, y) => disc(0.5, 0.82, 0.42)(x, y) && disc(0.5, 0.18, 0.42)(x, y)],
    [colours.red, disc(0.5, 0.5, 0.1)],
  ],
  // An exclamation mark: something needs the user.
  error: [
    [colours.red, disc(0.5, 0.5, 0.44)],
    [colours.white, any(rect(0.44, 0.2, 0.56, 0.6), disc(0.5, 0.74, 0.07))],
  ],
};

function render(layers) {
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      // Average supersample hits per layer, painting later layers over earlier ones.
      let [r, g, b, a] = [0, 0, 0, 0];
      for (const [colour, inside] of layers) {
        let hits = 0;
        for (let sy = 0; sy < supersample; sy++) {
          for (let sx = 0; sx < supersample; sx++) {
            const x = (px + (sx + 0.5) / supersample) / size;
            const y = (py + (sy + 0.5) / supersample) / size;
            if (inside(x, y)) hits++;
          }
        }
        const cover = hits / supersample ** 2;
        const outA = cover + a * (1 - cover);
        if (outA > 0) {
          r = (colour[0] * cover + r * a * (1 - cover)) / outA;
          g = (colour[1] * cover + g * a * (1 - cover)) / outA;
          b = (colour[2] * cover + b * a * (1 - cover)) / outA;
        }
        a = outA;
      }
      pixels.set([Math.round(r), Math.round(g), Math.round(b), Math.round(a * 255)], (py * size + px) * 4);
    }
  }
  return png(pixels);
}

function png(rgba) {
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function crc32(bytes) {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

for (const [name, layers] of Object.entries(icons)) {
  writeFileSync(new URL(`../resources/tray-${name}.png`, import.meta.url), render(layers));
}
