import type { Command } from 'commander';
import pc from 'picocolors';
import { catalogue } from '../variants/catalogue.ts';
import { overridesText } from '../variants/overrides-doc.ts';

export function registerVariants(program: Command, setExit: (code: number) => void): void {
  program
    .command('variants')
    .description('list the catalogue of designs: broken variants with the invariants they break, and correct alternatives to compare')
    .option('--names', 'print every guard and action a variant can override, with what it decides')
    .option('--json', 'print the catalogue as JSON')
    .action((opts: { names?: boolean; json?: boolean }) => {
      if (opts.names) console.log(overridesText());
      else if (opts.json)
        console.log(
          JSON.stringify(
            catalogue.map((v) => ({
              name: v.name,
              protocols: v.protocols ?? ['eager', 'cooperative'],
              description: v.description,
              breaks: v.breaks,
            })),
            null,
            2,
          ),
        );
      else {
        const width = Math.max(...catalogue.map((v) => v.name.length));
        for (const v of catalogue) {
          const breaks = v.breaks.length ? `breaks ${v.breaks.join(', ')}` : 'breaks nothing (a design to compare)';
          console.log(`${pc.bold(v.name.padEnd(width))}  ${(v.protocols ?? ['eager', 'cooperative']).join(', ')}; ${breaks}`);
          console.log(`${' '.repeat(width)}  ${pc.dim(v.description)}`);
        }
      }
      setExit(0);
    });
}
