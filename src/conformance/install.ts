import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The real client lives in its own package folder (conformance/), installed by
// `npm run conformance:install` with CKJS_LINKING=dynamic so that librdkafka is built from the
// sources bundled in the npm package (no prebuilt binary is downloaded) as a shared library
// whose mock-cluster C API koffi can reach.

export const conformanceDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../conformance');
const requireThere = createRequire(join(conformanceDir, 'package.json'));

export const INSTALL_HINT = 'run `npm run conformance:install` (builds librdkafka from the npm package: a few minutes)';

/** Path of the installed @confluentinc/kafka-javascript package, or null. */
export function clientPackageDir(): string | null {
  try {
    return dirname(requireThere.resolve('@confluentinc/kafka-javascript/package.json'));
  } catch {
    return null;
  }
}

/** The shared librdkafka built by the install (CKJS_LINKING=dynamic), or null. */
export function librdkafkaPath(): string | null {
  const dir = clientPackageDir();
  if (!dir) return null;
  const so = join(dir, 'build', 'deps', process.platform === 'darwin' ? 'librdkafka.dylib' : 'librdkafka.so');
  return existsSync(so) ? so : null;
}

/** Why the real client cannot run here, or null when it can. */
export function missingInstall(): string | null {
  if (!clientPackageDir()) return `@confluentinc/kafka-javascript is not installed in conformance/: ${INSTALL_HINT}`;
  if (!librdkafkaPath()) return `conformance/ has no shared librdkafka (installed without CKJS_LINKING=dynamic?): ${INSTALL_HINT}`;
  try {
    requireThere.resolve('koffi');
  } catch {
    return `koffi is not installed in conformance/: ${INSTALL_HINT}`;
  }
  return null;
}

/** require() resolving from conformance/ (the real client's own node_modules). */
export const requireReal = requireThere;
