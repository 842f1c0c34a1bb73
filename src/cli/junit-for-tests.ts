import { readFileSync } from 'node:fs';
import { XmlDocument, XsdValidator } from 'libxml2-wasm';

/**
 * Validates JUnit XML against src/cli/fixtures/junit.xsd (the Jenkins xunit plugin's junit-10
 * constraints) with libxml2 compiled to WebAssembly; throws on an invalid document.
 */
export function validateJunit(xml: string): void {
  const schema = XmlDocument.fromString(readFileSync(new URL('./fixtures/junit.xsd', import.meta.url), 'utf8'));
  const validator = XsdValidator.fromDoc(schema);
  const doc = XmlDocument.fromString(xml);
  try {
    validator.validate(doc);
  } finally {
    doc.dispose();
    validator.dispose();
    schema.dispose();
  }
}
