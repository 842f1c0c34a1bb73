import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir } from './install.ts';

// Apache Kafka for the conformance runs: the broker's and the Java client's jars fetched by
// `npm run kafka:install` (Maven, versions pinned in conformance/kafka/pom.xml) and the Java
// consumer driver compiled against them.

export const kafkaDir = join(conformanceDir, 'kafka');
export const kafkaLib = join(kafkaDir, 'lib');
export const driverClasses = join(kafkaDir, 'classes');
export const KAFKA_INSTALL_HINT = 'run `npm run kafka:install` (Maven fetches Apache Kafka’s jars: ~15 s with an empty ~/.m2)';

/** Classpath of the broker and the driver. */
export const kafkaClasspath = () => `${join(kafkaLib, '*')}:${driverClasses}`;

/** The installed Kafka version (from the jar's name), or null. */
export function kafkaVersion(): string | null {
  if (!existsSync(kafkaLib)) return null;
  const jar = readdirSync(kafkaLib).find((f) => /^kafka_2\.13-.*\.jar$/.test(f));
  return jar ? jar.replace(/^kafka_2\.13-|\.jar$/g, '') : null;
}

let javaChecked: string | null | undefined;

/** Why the real broker and the Java consumer cannot run here, or null when they can. */
export function missingKafka(): string | null {
  if (javaChecked === undefined) {
    try {
      execFileSync('java', ['-version'], { stdio: 'ignore' });
      javaChecked = null;
    } catch {
      javaChecked = 'java is not on PATH (Java 17 or later runs the broker and the Java consumer)';
    }
  }
  if (javaChecked) return javaChecked;
  if (!kafkaVersion()) return `Apache Kafka is not installed in conformance/kafka/lib: ${KAFKA_INSTALL_HINT}`;
  if (!existsSync(join(driverClasses, 'Driver.class'))) return `the Java consumer driver is not compiled: ${KAFKA_INSTALL_HINT}`;
  return null;
}
