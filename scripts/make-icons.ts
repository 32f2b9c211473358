/**
 * `npm run icons`: draws the app's icons (Teams colour and outline icons, Outlook ribbon
 * icons) and writes them as PNG files. The PNGs are committed; run this again only when
 * the mark in scripts/app-package/icons.ts changes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { allIcons } from './app-package/icons';
import { encodePng } from './app-package/png';

const root = join(__dirname, '..');
for (const [file, image] of Object.entries(allIcons())) {
  const path = join(root, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, encodePng(image));
  process.stdout.write(`${file}  ${image.width}×${image.height}\n`);
}
