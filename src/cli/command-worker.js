// The thread a supervised command (`check`, `explore`) runs on (see supervise.ts). Plain
// JavaScript so that it can register the TypeScript loader itself (loader hooks of the main
// thread do not reach workers on Node 20).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { attachControl } = await import('../core/control.ts');
attachControl(workerData.control);
// A worker's stdout and stderr are pipes to the main thread: say what the main thread's are, so
// progress lines are drawn in place on a terminal as they are without the supervisor.
for (const name of ['stdout', 'stderr']) {
  const { isTTY, columns } = workerData.tty[name];
  Object.assign(process[name], { isTTY, columns });
}
const { main } = await import('./main.ts');
process.exitCode = await main(workerData.argv);
