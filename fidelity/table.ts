import Table from 'cli-table3';
import pc from 'picocolors';
import { type CaseResult, fidelityCases, notPorted, runCase } from './index.ts';

/** `Class.method` as the class, then the method cut into lines that fit the column. */
function kafkaCell(kafka: string): string {
  const dot = kafka.indexOf('.test');
  const method = kafka.slice(dot + 1);
  return [kafka.slice(0, dot), ...(method.match(/.{1,62}/g) ?? [])].join('\n');
}

/** The fidelity table: one row per ported case (case, Kafka source, check, pass/fail), then the gaps. */
export function fidelityTable(results: CaseResult[], color: boolean): string {
  const paint = (f: (s: string) => string, s: string) => (color ? f(s) : s);
  const table = new Table({
    head: ['area', 'case', 'Kafka test', 'check', 'result'],
    wordWrap: true,
    colWidths: [16, 42, 66, 12, 8],
    style: { head: [], border: [] },
  });
  for (const { c, failure } of results)
    table.push([c.area, c.name, kafkaCell(c.kafka), c.check, failure === undefined ? paint(pc.green, 'pass') : paint(pc.red, 'FAIL')]);
  const lines = [table.toString()];
  for (const { c, failure } of results) if (failure !== undefined) lines.push(paint(pc.red, `FAIL ${c.kafka}: ${failure}`));
  const failed = results.filter((r) => r.failure !== undefined).length;
  lines.push(`${results.length} cases from Kafka's unit tests: ${results.length - failed} pass, ${failed} fail.`);
  lines.push('Not ported:');
  for (const n of notPorted) lines.push(`  - ${n.kafka} (${n.area}): ${n.reason}`);
  return lines.join('\n');
}

/** `npm run fidelity`: prints the table; exit 1 when a case fails. */
export function main(): number {
  const results = fidelityCases.map(runCase);
  console.log(fidelityTable(results, process.stdout.isTTY === true && !process.env.NO_COLOR));
  return results.some((r) => r.failure !== undefined) ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main();
