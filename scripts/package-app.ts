/**
 * `npm run package:app [-- --env dev]`: the Teams app package for an environment.
 *
 * Fills appPackage/manifest.json's `${{TEAMS_APP_ID}}`, `${{BOT_ID}}`, `${{GRAPH_CLIENT_ID}}`
 * and `${{BOT_DOMAIN}}` from env/.env.<env> (default: dev; ids only, never a secret),
 * validates the result offline against the Teams schema bundled in @microsoft/app-manifest,
 * and writes appPackage/build/appPackage.<env>.zip. Exits with 1 and the schema's errors
 * when the manifest is not valid.
 */
import { relative } from 'node:path';
import { AppPackageError, buildAppPackage } from './app-package/build';

function envName(argv: string[]): string {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--env') return argv[i + 1] ?? '';
    if (arg.startsWith('--env=')) return arg.slice('--env='.length);
    if (!arg.startsWith('-')) return arg;
  }
  return 'dev';
}

async function main(): Promise<void> {
  const env = envName(process.argv.slice(2));
  try {
    const built = await buildAppPackage({ env });
    const out = process.stdout;
    out.write(`Teams アプリ パッケージ / Teams app package (${env})\n`);
    for (const [name, source] of Object.entries(built.sources)) {
      if (['TEAMS_APP_ID', 'BOT_ID', 'GRAPH_CLIENT_ID', 'BOT_DOMAIN'].includes(name)) {
        out.write(`  ${name.padEnd(15)} from ${source}\n`);
      }
    }
    out.write(`  schema        ${built.manifest.$schema}\n`);
    out.write(`  files         ${built.files.join(', ')}\n`);
    out.write(`  written       ${relative(process.cwd(), built.zipPath)}\n`);
  } catch (err) {
    if (err instanceof AppPackageError) {
      process.stderr.write(
        `パッケージを作成できません / Cannot build the package.\n${err.message}\n`,
      );
      process.exit(1);
    }
    throw err;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
