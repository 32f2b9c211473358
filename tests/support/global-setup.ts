import { buildWeb } from '../../scripts/build-web';
import probePostgres from './pg-probe';

/** Jest global set-up: the browser pages are built once, and PostgreSQL is looked for. */
export default async function globalSetup(): Promise<void> {
  await buildWeb();
  await probePostgres();
}
