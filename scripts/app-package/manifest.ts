import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Offline validation of the Teams app manifest (and its localization files) against the
 * JSON schemas bundled in `@microsoft/app-manifest`.
 *
 * The package's own validator cannot be loaded by CommonJS jest (it requires ESM-only
 * modules) and falls back to downloading a schema it does not bundle, so the bundled
 * schema files are compiled here with ajv's draft-04 build, as the package does itself.
 */

/** A Teams manifest as JSON: only the parts this module reads are typed. */
export interface TeamsManifest {
  $schema?: string;
  manifestVersion?: string;
  version?: string;
  icons?: { color?: string; outline?: string; color32x32?: string };
  localizationInfo?: {
    defaultLanguageTag?: string;
    defaultLanguageFile?: string;
    additionalLanguages?: { languageTag?: string; file?: string }[];
  };
  extensions?: {
    runtimes?: { actions?: { id?: string }[] }[];
    ribbons?: { tabs?: { groups?: { controls?: { id?: string; actionId?: string }[] }[] }[] }[];
  }[];
  [key: string]: unknown;
}

/** The manifest's `$schema` names the schema version: `…/teams/v1.27/MicrosoftTeams.schema.json`. */
const SCHEMA_URL =
  /^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/(v\d+\.\d+|vDevPreview)\/MicrosoftTeams\.schema\.json$/;

/** Directory holding the bundled schemas, one folder per version (`v1.27/`, …). */
export function bundledSchemaDir(): string {
  return join(
    dirname(require.resolve('@microsoft/app-manifest/package.json')),
    'build',
    'json-schemas',
    'teams',
  );
}

/** The schema version folder a manifest declares through `$schema` (e.g. `v1.27`). */
export function schemaVersionOf(manifest: TeamsManifest): string {
  const match = SCHEMA_URL.exec(manifest.$schema ?? '');
  if (!match) {
    throw new Error(
      `$schema must be a Teams manifest schema URL (https://developer.microsoft.com/json-schemas/teams/v1.NN/MicrosoftTeams.schema.json), not ${JSON.stringify(manifest.$schema)}`,
    );
  }
  return match[1]!;
}

const compiled = new Map<string, ValidateFunction>();

/** Reads and compiles one bundled schema file; cached per path. */
function compile(version: string, file: string): ValidateFunction {
  const path = join(bundledSchemaDir(), version, file);
  const cached = compiled.get(path);
  if (cached) return cached;
  if (!existsSync(path)) {
    throw new Error(
      `@microsoft/app-manifest bundles no ${file} for ${version} (looked in ${dirname(path)})`,
    );
  }
  const ajv = new AjvDraft04({
    allErrors: true,
    strictTypes: false,
    // Some bundled patterns (the localization schema's activityTypes keys) are valid
    // JavaScript regular expressions only without the `u` flag.
    unicodeRegExp: false,
  });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(path, 'utf8')) as object);
  compiled.set(path, validate);
  return validate;
}

/** One line per schema error: where, what, and the schema's parameters. */
function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const params = Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : '';
    return `${e.instancePath || '/'} ${e.message ?? e.keyword}${params}`;
  });
}

/** The schema's own semver pattern (`definitions.semver`), which `version` does not reference. */
function semverPattern(version: string): RegExp {
  const schema = JSON.parse(
    readFileSync(join(bundledSchemaDir(), version, 'MicrosoftTeams.schema.json'), 'utf8'),
  ) as { definitions?: { semver?: { pattern?: string } } };
  return new RegExp(schema.definitions?.semver?.pattern ?? '^\\d+\\.\\d+\\.\\d+$');
}

/**
 * Validates a filled-in manifest. Returns the problems, one per line (empty: valid):
 * the schema's errors first, then rules the schema leaves out but Teams enforces.
 */
export function validateManifest(manifest: TeamsManifest): string[] {
  let version: string;
  try {
    version = schemaVersionOf(manifest);
  } catch (err) {
    return [`/$schema ${(err as Error).message}`];
  }
  const validate = compile(version, 'MicrosoftTeams.schema.json');
  const problems = validate(manifest) ? [] : describe(validate.errors);

  // Teams refuses an app version that is not MAJOR.MINOR.PATCH; the schema defines the
  // pattern but does not apply it to `version`.
  if (typeof manifest.version === 'string' && !semverPattern(version).test(manifest.version)) {
    problems.push(
      `/version must be MAJOR.MINOR.PATCH (the schema's definitions.semver), not ${JSON.stringify(manifest.version)}`,
    );
  }

  // Every ribbon control must name an action that a runtime defines.
  (manifest.extensions ?? []).forEach((ext, e) => {
    const actions = new Set(
      (ext.runtimes ?? []).flatMap((r) => (r.actions ?? []).map((a) => a.id)),
    );
    (ext.ribbons ?? []).forEach((ribbon, r) =>
      (ribbon.tabs ?? []).forEach((tab, t) =>
        (tab.groups ?? []).forEach((group, g) =>
          (group.controls ?? []).forEach((control, c) => {
            if (control.actionId !== undefined && !actions.has(control.actionId)) {
              problems.push(
                `/extensions/${e}/ribbons/${r}/tabs/${t}/groups/${g}/controls/${c}/actionId names no runtime action: ${JSON.stringify(control.actionId)}`,
              );
            }
          }),
        ),
      ),
    );
  });
  return problems;
}

/** Validates one localization file against the Localization schema of the manifest's version. */
export function validateLocalization(manifest: TeamsManifest, content: unknown): string[] {
  const validate = compile(schemaVersionOf(manifest), 'MicrosoftTeams.Localization.schema.json');
  return validate(content) ? [] : describe(validate.errors);
}

/** The files inside the app package that the manifest refers to (icons, localization). */
export function referencedFiles(manifest: TeamsManifest): {
  icons: { color: string | null; outline: string | null; color32x32: string | null };
  localization: string[];
} {
  const info = manifest.localizationInfo;
  const localization = [
    ...(info?.defaultLanguageFile ? [info.defaultLanguageFile] : []),
    ...(info?.additionalLanguages ?? []).flatMap((l) => (l.file ? [l.file] : [])),
  ];
  return {
    icons: {
      color: manifest.icons?.color ?? null,
      outline: manifest.icons?.outline ?? null,
      color32x32: manifest.icons?.color32x32 ?? null,
    },
    localization,
  };
}
