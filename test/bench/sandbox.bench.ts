/**
 * How many Gossip MESSAGE frames per second the sandbox delivers to STOMP subscribers. The
 * sandbox runs as its own process through the CLI, as it does when it is the load generator for
 * other benchmarks; subscribers are bare `ws` STOMP clients in this process that only count.
 *
 * Options: --rooms N (default 10), --rate N per room (1000), --connections N (3), --seconds N (10).
 */
import { performance } from 'node:perf_hooks';
import {
  CountingSubscriber,
  cpuSeconds,
  liveRooms,
  moderatorToken,
  setRates,
  startSandboxProcess,
} from './sandboxProcess';
import type { Benchmark, BenchResult } from './types';

const TARGET = 20_000;

const benchmark: Benchmark = {
  name: 'sandbox',
  description:
    'Gossip MESSAGE frames per second the sandbox (one Node process) delivers to STOMP subscribers',
  async run(context): Promise<BenchResult[]> {
    const option = (name: string, normal: number, smoke: number) =>
      Number(context.options[name] ?? (context.smoke ? smoke : normal));
    const roomCount = option('rooms', 10, 4);
    const rate = option('rate', 1000, 100);
    const connections = option('connections', 3, 1);
    const seconds = option('seconds', 10, 2);
    const warmupSeconds = context.smoke ? 0.5 : 2;

    // Bursts would add unrequested messages and blur the kept-up ratio.
    const sandbox = await startSandboxProcess([
      '--port',
      '0',
      '--rooms',
      String(roomCount),
      '--rate',
      '0',
      '--bursts',
      'false',
    ]);
    const subscribers: CountingSubscriber[] = [];
    try {
      const rooms = await liveRooms(sandbox.ready);
      for (let index = 0; index < connections; index += 1) {
        const token = await moderatorToken(sandbox.ready);
        const subscriber = new CountingSubscriber(token.chatServerWebSocketUrl);
        subscribers.push(subscriber);
        await subscriber.connect(token);
        await subscriber.subscribeRooms(rooms, token.userId);
      }
      await setRates(sandbox.ready, rooms, rate);
      const total = () => subscribers.reduce((sum, subscriber) => sum + subscriber.messages, 0);
      context.log(`${rooms.length} rooms × ${rate}/s × ${connections} connections; warming up`);
      await new Promise((resolve) => setTimeout(resolve, warmupSeconds * 1000));

      const startCount = total();
      const startCpu = await cpuSeconds(sandbox.pid);
      const started = performance.now();
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      const elapsed = (performance.now() - started) / 1000;
      const endCount = total();
      const endCpu = await cpuSeconds(sandbox.pid);

      const delivered = (endCount - startCount) / elapsed;
      const requested = rooms.length * rate * connections;
      const keptUp = delivered / requested;
      context.log(`delivered ${Math.round(delivered)}/s of ${requested}/s requested`);
      const results: BenchResult[] = [
        {
          metric: 'delivered messages/s (all subscribers)',
          value: delivered,
          unit: 'messages/s',
          target: `≥ ${TARGET.toLocaleString('en-US')} messages/s`,
          met: delivered >= TARGET,
        },
        {
          metric: 'kept up (delivered / requested)',
          value: keptUp,
          unit: '×',
          reference: { metric: 'requested messages/s', value: requested },
          ratio: keptUp,
          target: '≥ 0.95',
          met: keptUp >= 0.95,
        },
      ];
      if (startCpu !== null && endCpu !== null && endCpu > startCpu) {
        results.push({
          metric: 'sandbox CPU while measuring (cores)',
          value: (endCpu - startCpu) / elapsed,
          unit: 'cores',
        });
      }
      return results;
    } finally {
      for (const subscriber of subscribers) subscriber.close();
      await sandbox.stop();
    }
  },
};

export default benchmark;
