// Number formatting shared by the library's labels and the CLI's reports.

/** `1,234`: rounded, thousands separated, whatever the machine's locale. */
export const num = (x: number): string => Math.round(x).toLocaleString('en-US');

/** `1 member`, `3 members`, `1,000 runs`. */
export const count = (x: number, word: string): string => `${num(x)} ${word}${x === 1 ? '' : 's'}`;
