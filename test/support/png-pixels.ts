import { inflateSync } from 'node:zlib';

/**
 * A small PNG decoder for tests: enough to tell whether a screenshot shows something.
 * Non-interlaced images with 8 bits per channel (greyscale, grey + alpha, RGB, RGBA, or an
 * 8-bit palette), which is what headless Chromium writes.
 */

export interface DecodedPng {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel, row by row. */
  rgba: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export function decodePng(file: Buffer): DecodedPng {
  if (file.length < 8 || !file.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG file');
  let offset = 8;
  let width = 0;
  let height = 0;
  let colourType = -1;
  let palette: Buffer | undefined;
  const idat: Buffer[] = [];
  while (offset + 8 <= file.length) {
    const length = file.readUInt32BE(offset);
    const type = file.toString('latin1', offset + 4, offset + 8);
    const data = file.subarray(offset + 8, offset + 8 + length);
    offset += 12 + length; // length, type, data, CRC
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const bitDepth = data[8];
      colourType = data[9] ?? -1;
      const interlace = data[12];
      if (bitDepth !== 8) throw new Error(`unsupported bit depth ${String(bitDepth)}`);
      if (interlace !== 0) throw new Error('interlaced PNGs are not supported');
      if (CHANNELS[colourType] === undefined) throw new Error(`unsupported colour type ${colourType}`);
    } else if (type === 'PLTE') palette = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
  }
  const channels = CHANNELS[colourType];
  if (!channels || width === 0 || height === 0) throw new Error('no IHDR chunk');
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  if (raw.length < height * (stride + 1)) throw new Error('image data is shorter than the header says');

  // Undo the per-row filters (PNG spec, section 9), in place into `pixels`.
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    for (let x = 0; x < stride; x += 1) {
      const value = raw[src + x] ?? 0;
      const left = x >= channels ? (pixels[row + x - channels] ?? 0) : 0;
      const up = y > 0 ? (pixels[row - stride + x] ?? 0) : 0;
      const upLeft = y > 0 && x >= channels ? (pixels[row - stride + x - channels] ?? 0) : 0;
      let predicted = 0;
      if (filter === 1) predicted = left;
      else if (filter === 2) predicted = up;
      else if (filter === 3) predicted = Math.floor((left + up) / 2);
      else if (filter === 4) predicted = paeth(left, up, upLeft);
      else if (filter !== 0) throw new Error(`unknown filter ${String(filter)} on row ${y}`);
      pixels[row + x] = (value + predicted) & 0xff;
    }
  }

  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i += 1) {
    const p = i * channels;
    let rgb: [number, number, number, number];
    switch (colourType) {
      case 0:
        rgb = [pixels[p] ?? 0, pixels[p] ?? 0, pixels[p] ?? 0, 255];
        break;
      case 4:
        rgb = [pixels[p] ?? 0, pixels[p] ?? 0, pixels[p] ?? 0, pixels[p + 1] ?? 0];
        break;
      case 3: {
        const index = (pixels[p] ?? 0) * 3;
        if (!palette) throw new Error('palette image without PLTE');
        rgb = [palette[index] ?? 0, palette[index + 1] ?? 0, palette[index + 2] ?? 0, 255];
        break;
      }
      case 2:
        rgb = [pixels[p] ?? 0, pixels[p + 1] ?? 0, pixels[p + 2] ?? 0, 255];
        break;
      default:
        rgb = [pixels[p] ?? 0, pixels[p + 1] ?? 0, pixels[p + 2] ?? 0, pixels[p + 3] ?? 0];
    }
    rgba.set(rgb, i * 4);
  }
  return { width, height, rgba };
}

export interface PixelSummary {
  distinctColours: number;
  /** Share of pixels that are not (nearly) white. */
  nonWhiteFraction: number;
}

export function summarizePixels(png: DecodedPng): PixelSummary {
  const colours = new Set<number>();
  let nonWhite = 0;
  const count = png.width * png.height;
  for (let i = 0; i < count; i += 1) {
    const r = png.rgba[i * 4] ?? 0;
    const g = png.rgba[i * 4 + 1] ?? 0;
    const b = png.rgba[i * 4 + 2] ?? 0;
    colours.add((r << 16) | (g << 8) | b);
    if (r < 240 || g < 240 || b < 240) nonWhite += 1;
  }
  return { distinctColours: colours.size, nonWhiteFraction: count === 0 ? 0 : nonWhite / count };
}
