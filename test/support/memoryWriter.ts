/**
 * A process that writes to a memory store through its worker without pause, as a busy deck does
 * (50 events every 10 ms: 5,000 a second), until it is killed. Each commit the worker reports is
 * printed as `committed <events so far>`, each batch posted as `posted <events so far>`. Run with `node --import tsx`, the file and a prefix for
 * the event ids as arguments.
 */
import { systemClock } from '../../src/main/clock';
import { silentLogger } from '../../src/main/logger';
import { MemoryStore } from '../../src/main/services/memory/memory';
import { chatEvent, startTestWorker } from './memory';

const [file = 'memory.sqlite', prefix = 'k'] = process.argv.slice(2);
const BATCH = 50;

const memory = new MemoryStore({
  file,
  startWorker: startTestWorker,
  clock: systemClock,
  log: silentLogger,
  describeRoom: () => ({ accountId: 'a', provider: 'flipflop', name: 'Lobby' }),
});
let committed = 0;
memory.onMessage((message) => {
  if (message.type !== 'written') return;
  committed += message.items;
  process.stdout.write(`committed ${committed}\n`);
});
let posted = 0;
setInterval(() => {
  const events = Array.from({ length: BATCH }, (_, index) =>
    chatEvent('a/r', `message ${posted + index} 바보야`, { id: `${prefix}${posted + index}` }),
  );
  memory.ingest({ events, updates: [], stats: [] });
  posted += BATCH;
  process.stdout.write(`posted ${posted}\n`);
}, 10);
