import { writeFileSync } from 'node:fs';
import { renderHtml } from './html.ts';
import { scaleOutScenario } from './scenarios.ts';

// Writes the eager-vs-cooperative comparison page for the scale-out scenario:
//   npx tsx src/replay/render-demo.ts eager-vs-cooperative.html

/** The comparison page: 2 consumers stable, then a third joins; eager/range vs cooperative/cooperative-sticky. */
export function scaleOutComparisonHtml(): string {
  const eager = scaleOutScenario('eager');
  const cooperative = scaleOutScenario('cooperative');
  return renderHtml({
    title: 'Scale-out from 2 to 3 consumers: eager vs cooperative rebalancing',
    subtitle:
      '3 consumers x 6 partitions, no faults, FIFO delivery (oldest message first, else the earliest timer). c3 starts once c1 and c2 are stable. Eager: range assignor; cooperative: cooperative-sticky.',
    rows: eager.rows,
    compare: [
      { label: 'eager (range)', rows: eager.rows },
      { label: 'cooperative (cooperative-sticky)', rows: cooperative.rows },
    ],
  });
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const out = process.argv[2];
  if (!out) {
    process.stderr.write('usage: npx tsx src/replay/render-demo.ts <output.html>\n');
    process.exit(2);
  }
  writeFileSync(out, scaleOutComparisonHtml());
  process.stdout.write(`wrote ${out}\n`);
}
