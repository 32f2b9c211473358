import type { RgbaImage } from './png';

/**
 * Madoguchi's mark, drawn from rectangles: a window (窓) with four panes above a counter
 * (口). Geometry is in units of 1/32 of the icon, every edge on an odd unit: at 32 px each
 * edge lands on a pixel boundary, and at 16 and 80 px it does after a one-unit shift, so
 * the small icons stay sharp. Other sizes are smoothed by 4×4 supersampling.
 */

/** The desk's colour: the manifest's `accentColor` and the colour icon's background. */
export const ACCENT = '#23466E';

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Corner radius. */
  r?: number;
}

/** The window: outer frame, a 2-unit stroke, a mullion and a transom; then the counter. */
const FRAME: Box = { x0: 7, y0: 5, x1: 25, y1: 19, r: 1.5 };
const STROKE = 2;
const MULLION: Box = { x0: 15, y0: 5, x1: 17, y1: 19 };
const TRANSOM: Box = { x0: 7, y0: 11, x1: 25, y1: 13 };
const COUNTER: Box = { x0: 3, y0: 21, x1: 29, y1: 23, r: 1 };

function inBox(b: Box, x: number, y: number): boolean {
  if (x < b.x0 || x >= b.x1 || y < b.y0 || y >= b.y1) return false;
  const r = b.r ?? 0;
  if (r === 0) return true;
  // Rounded corners: outside the corner circle counts as outside.
  const cx = x < b.x0 + r ? b.x0 + r : x > b.x1 - r ? b.x1 - r : x;
  const cy = y < b.y0 + r ? b.y0 + r : y > b.y1 - r ? b.y1 - r : y;
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** True where the mark is, in 0..32 units. */
function inMark(x: number, y: number): boolean {
  const inner: Box = {
    x0: FRAME.x0 + STROKE,
    y0: FRAME.y0 + STROKE,
    x1: FRAME.x1 - STROKE,
    y1: FRAME.y1 - STROKE,
  };
  const frame = inBox(FRAME, x, y) && !inBox(inner, x, y);
  const bars = inBox(FRAME, x, y) && (inBox(MULLION, x, y) || inBox(TRANSOM, x, y));
  return frame || bars || inBox(COUNTER, x, y);
}

function hex(color: string): [number, number, number] {
  const n = Number.parseInt(color.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/**
 * Renders the mark at `size` px: `fg` over `bg` (null: transparent). `scale` shrinks the
 * mark around the centre (the colour icon keeps a margin, as Teams' icon guidance asks);
 * `shift` moves it by whole units to put its edges on pixel boundaries.
 */
export function drawMark(
  size: number,
  opts: { fg: string; bg: string | null; scale?: number; shift?: number },
): RgbaImage {
  const SS = 4;
  const scale = opts.scale ?? 1;
  const shift = opts.shift ?? 0;
  const fg = hex(opts.fg);
  const bg = opts.bg ? hex(opts.bg) : null;
  const data = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          // Sample centre in 0..32 units, scaled about the middle (16, 16).
          const u = (((px + (sx + 0.5) / SS) / size) * 32 - 16) / scale + 16 + shift;
          const v = (((py + (sy + 0.5) / SS) / size) * 32 - 16) / scale + 16 + shift;
          if (inMark(u, v)) hits++;
        }
      }
      const cover = hits / (SS * SS);
      const at = (py * size + px) * 4;
      if (bg) {
        for (let c = 0; c < 3; c++)
          data[at + c] = Math.round(fg[c]! * cover + bg[c]! * (1 - cover));
        data[at + 3] = 255;
      } else {
        // Transparent background: the colour stays pure, coverage goes to alpha.
        data.set(fg, at);
        data[at + 3] = Math.round(cover * 255);
      }
    }
  }
  return { width: size, height: size, data };
}

/** Every icon the app uses, by file name relative to the repository. */
export function allIcons(): Record<string, RgbaImage> {
  return {
    // Teams: colour 192×192 (full-bleed background), outline 32×32 (white on transparent).
    'appPackage/color.png': drawMark(192, { fg: '#FFFFFF', bg: ACCENT, scale: 0.75 }),
    'appPackage/outline.png': drawMark(32, { fg: '#FFFFFF', bg: null }),
    // Outlook ribbon button and group: 16, 32 and 80 px are required, served over https.
    'addin/assets/icon-16.png': drawMark(16, { fg: ACCENT, bg: null, shift: 1 }),
    'addin/assets/icon-32.png': drawMark(32, { fg: ACCENT, bg: null }),
    'addin/assets/icon-80.png': drawMark(80, { fg: ACCENT, bg: null, shift: 1 }),
  };
}
