import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import JSZip from 'jszip';
import {
  referencedFiles,
  validateLocalization,
  validateManifest,
  type TeamsManifest,
} from './manifest';
import { decodePng, readPngHeader } from './png';

/**
 * Builds the Teams app package: fills the manifest's `${{NAME}}` placeholders (Teams
 * Toolkit style) from env/.env.<env>, validates the manifest, its localization files and
 * its icons offline, and writes appPackage/build/appPackage.<env>.zip.
 */

/** The package cannot be built; `problems` says why, one per line. */
export class AppPackageError extends Error {
  constructor(
    readonly problems: string[],
    what = 'The Teams app package is not valid',
  ) {
    super(`${what}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AppPackageError';
  }
}

const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NIL_GUID = '00000000-0000-0000-0000-000000000000';
const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/i;

/** What each placeholder must look like; a value of another shape is refused before Teams sees it. */
const SHAPES: Record<string, { test: (v: string) => boolean; expect: string }> = {
  TEAMS_APP_ID: { test: (v) => GUID.test(v) && v !== NIL_GUID, expect: 'a GUID (not all zeros)' },
  BOT_ID: { test: (v) => GUID.test(v) && v !== NIL_GUID, expect: 'a GUID (not all zeros)' },
  // Madoguchi's app registration: the add-in and the tab sign in to it (webApplicationInfo).
  GRAPH_CLIENT_ID: {
    test: (v) => GUID.test(v) && v !== NIL_GUID,
    expect: 'a GUID (not all zeros): the client id of the app registration (docs/sign-in.md)',
  },
  BOT_DOMAIN: {
    test: (v) => HOST.test(v),
    expect: 'a host name without scheme or path, e.g. madoguchi-dev.azurewebsites.net',
  },
};

/** The zip's entries get a fixed date so the same inputs give the same bytes. */
const ZIP_DATE = new Date('2024-01-01T00:00:00Z');

export interface EnvValues {
  /** Placeholder values by name. */
  values: Record<string, string>;
  /** Where each value came from (`env/.env.dev`, `environment`, `PUBLIC_BASE_URL`). */
  sources: Record<string, string>;
}

/**
 * Reads env/.env.<env> (committed, ids only; `.user` files with secrets are never read).
 * Variables set in the process environment win over the file, as in Teams Toolkit.
 * BOT_DOMAIN defaults to the host of PUBLIC_BASE_URL.
 */
export function readEnvValues(
  envDir: string,
  env: string,
  processEnv: NodeJS.ProcessEnv = process.env,
): EnvValues {
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(env)) {
    throw new AppPackageError([`environment name ${JSON.stringify(env)} (letters, digits, -)`]);
  }
  const path = join(envDir, `.env.${env}`);
  if (!existsSync(path)) throw new AppPackageError([`${path} does not exist`]);
  const shown = relative(process.cwd(), path) || path;
  const values: Record<string, string> = {};
  const sources: Record<string, string> = {};
  for (const [key, value] of Object.entries(parseDotenv(readFileSync(path)))) {
    if (value.trim() === '') continue;
    values[key] = value.trim();
    sources[key] = shown;
  }
  for (const key of Object.keys(SHAPES).concat('PUBLIC_BASE_URL')) {
    const value = processEnv[key]?.trim();
    if (value) {
      values[key] = value;
      sources[key] = 'environment';
    }
  }
  if (!values.BOT_DOMAIN && values.PUBLIC_BASE_URL && URL.canParse(values.PUBLIC_BASE_URL)) {
    values.BOT_DOMAIN = new URL(values.PUBLIC_BASE_URL).host;
    sources.BOT_DOMAIN = `PUBLIC_BASE_URL (${sources.PUBLIC_BASE_URL})`;
  }
  return { values, sources };
}

/** Replaces every `${{NAME}}`; names without a value, or with a value of the wrong shape, are refused. */
export function fillPlaceholders(
  text: string,
  values: Record<string, string>,
  where = 'the environment file',
): string {
  const problems: string[] = [];
  const names = [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
  for (const name of names) {
    const value = values[name];
    const shape = SHAPES[name];
    if (value === undefined || value === '') {
      problems.push(`${name} has no value: set it in ${where}`);
    } else if (shape && !shape.test(value)) {
      problems.push(`${name} must be ${shape.expect}, not ${JSON.stringify(value)} (${where})`);
    }
  }
  if (problems.length) throw new AppPackageError(problems, 'Placeholders cannot be filled');
  return text.replace(PLACEHOLDER, (_, name: string) => values[name]!);
}

function readJson(path: string, problems: string[], label: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    problems.push(`${label}: ${(err as Error).message}`);
    return undefined;
  }
}

/** Checks an icon's size, and for the outline icon that it is white on transparent. */
export function checkIcon(
  bytes: Buffer,
  name: string,
  kind: 'color' | 'outline' | 'color32x32',
): string[] {
  const want = kind === 'color' ? 192 : 32;
  let header;
  try {
    header = readPngHeader(bytes);
  } catch (err) {
    return [`${name}: ${(err as Error).message}`];
  }
  if (header.width !== want || header.height !== want) {
    return [`${name} must be ${want}×${want} px, is ${header.width}×${header.height}`];
  }
  if (kind !== 'outline') return [];
  let image;
  try {
    image = decodePng(bytes);
  } catch (err) {
    return [`${name} must be an RGBA PNG with transparency: ${(err as Error).message}`];
  }
  const d = image.data;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] !== 0 && (d[i] !== 255 || d[i + 1] !== 255 || d[i + 2] !== 255)) {
      const p = i / 4;
      return [
        `${name} must be white on transparent; pixel (${p % image.width}, ${Math.floor(p / image.width)}) is rgba(${d[i]}, ${d[i + 1]}, ${d[i + 2]}, ${d[i + 3]})`,
      ];
    }
  }
  return [];
}

export interface BuildOptions {
  /** Environment name: placeholders come from `<envDir>/.env.<env>`. */
  env: string;
  /** Folder with manifest.json, icons and localization files (default: ./appPackage). */
  appDir?: string;
  /** Folder with the .env files (default: ./env). */
  envDir?: string;
  /** Where the zip is written (default: `<appDir>/build`). */
  outDir?: string;
  /** Placeholder values to use instead of reading the env file. */
  values?: Record<string, string>;
}

export interface BuiltPackage {
  zipPath: string;
  /** Entry names in the zip. */
  files: string[];
  manifest: TeamsManifest;
  sources: Record<string, string>;
}

/** Fills, validates and zips the app package. Throws AppPackageError listing every problem. */
export async function buildAppPackage(opts: BuildOptions): Promise<BuiltPackage> {
  const root = join(__dirname, '..', '..');
  const appDir = opts.appDir ?? join(root, 'appPackage');
  const envDir = opts.envDir ?? join(root, 'env');
  const outDir = opts.outDir ?? join(appDir, 'build');

  const { values, sources } = opts.values
    ? { values: opts.values, sources: {} as Record<string, string> }
    : readEnvValues(envDir, opts.env);
  const where = opts.values ? 'the values given' : `env/.env.${opts.env}`;
  const text = fillPlaceholders(readFileSync(join(appDir, 'manifest.json'), 'utf8'), values, where);

  let filled: TeamsManifest;
  try {
    filled = JSON.parse(text) as TeamsManifest;
  } catch (err) {
    throw new AppPackageError([`manifest.json: ${(err as Error).message}`]);
  }
  const problems: string[] = [];
  problems.push(...validateManifest(filled).map((p) => `manifest.json ${p}`));

  const entries = new Map<string, Buffer>();
  entries.set('manifest.json', Buffer.from(`${JSON.stringify(filled, null, 2)}\n`));

  const refs = referencedFiles(filled);
  for (const [kind, name] of Object.entries(refs.icons) as [
    'color' | 'outline' | 'color32x32',
    string | null,
  ][]) {
    if (!name) continue;
    const path = join(appDir, name);
    if (!existsSync(path)) {
      problems.push(`icons.${kind}: ${name} is not in ${appDir}`);
      continue;
    }
    const bytes = readFileSync(path);
    problems.push(...checkIcon(bytes, name, kind));
    entries.set(name, bytes);
  }
  for (const name of refs.localization) {
    const path = join(appDir, name);
    if (!existsSync(path)) {
      problems.push(`localizationInfo: ${name} is not in ${appDir}`);
      continue;
    }
    const content = readJson(path, problems, name);
    if (content === undefined) continue;
    if (JSON.stringify(content).includes('${{')) {
      problems.push(`${name} holds a placeholder; localization files are not filled in`);
    }
    problems.push(...validateLocalization(filled, content).map((p) => `${name} ${p}`));
    entries.set(name, readFileSync(path));
  }
  if (problems.length) throw new AppPackageError(problems);

  const zip = new JSZip();
  for (const [name, bytes] of [...entries].sort(([a], [b]) => a.localeCompare(b))) {
    zip.file(name, bytes, { date: ZIP_DATE });
  }
  const bytes = await zip.generateAsync({
    type: 'nodebuffer',
    compression: 'DEFLATE',
    compressionOptions: { level: 9 },
  });
  mkdirSync(outDir, { recursive: true });
  const zipPath = join(outDir, `appPackage.${opts.env}.zip`);
  writeFileSync(zipPath, bytes);
  return { zipPath, files: [...entries.keys()].sort(), manifest: filled, sources };
}
