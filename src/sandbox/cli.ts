/**
 * `npm run sandbox -- --port 0 --seed 42 --rooms 4 --rate 5`: starts the sandbox, prints one line
 * of JSON (the Sandbox object without `close`) when it is ready, and runs until SIGINT or SIGTERM,
 * then closes and lets the process end by itself (exit code 0, port released).
 */
import { parseArgs } from 'node:util';
import { MAX_PRESENT, MIN_PRESENT, startSandbox, type SandboxOptions } from './index';

const USAGE = `usage: sandbox [--port N] [--host H] [--seed N] [--rooms N] [--rate N]
               [--present 5..50000] [--casing snake|camel] [--heartbeat-ms N]
               [--token-ttl-ms N] [--bursts true|false] [--forbidden-share 0..1]
               [--direct-share 0..1] [--spam 0..1] [--raid-every-ms N] [--raid-users N]
               [--rest-message-ids string|number] [--vchat-rooms N]
               [--vchat-numbers number|string] [--eventbus-frames binary|text]
               [--eventbus-ping-timeout-ms N] [--messages-per-room N]
               [--delivery-log-limit N] [--strict]`;

function number(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new Error(`--${name} must be a number`);
  return value;
}

/** A whole number from `min` to `max`, or undefined when the flag is absent. */
function wholeNumber(
  name: string,
  text: string | undefined,
  min: number,
  max: number,
): number | undefined {
  const value = number(name, text);
  if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
    throw new Error(`--${name} must be a whole number, ${min}–${max}`);
  }
  return value;
}

/** Reads the command line into sandbox options; throws with a readable message on bad input. */
function parseCommandLine(argv: string[]): SandboxOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      rooms: { type: 'string' },
      rate: { type: 'string' },
      present: { type: 'string' },
      casing: { type: 'string' },
      'heartbeat-ms': { type: 'string' },
      'token-ttl-ms': { type: 'string' },
      bursts: { type: 'string' },
      'forbidden-share': { type: 'string' },
      'direct-share': { type: 'string' },
      spam: { type: 'string' },
      'raid-every-ms': { type: 'string' },
      'raid-users': { type: 'string' },
      'rest-message-ids': { type: 'string' },
      'vchat-rooms': { type: 'string' },
      'vchat-numbers': { type: 'string' },
      'eventbus-frames': { type: 'string' },
      'eventbus-ping-timeout-ms': { type: 'string' },
      'messages-per-room': { type: 'string' },
      'delivery-log-limit': { type: 'string' },
      strict: { type: 'boolean' },
    },
  });
  const casing = values.casing;
  if (casing !== undefined && casing !== 'snake' && casing !== 'camel') {
    throw new Error('--casing must be snake or camel');
  }
  const bursts = values.bursts;
  if (bursts !== undefined && bursts !== 'true' && bursts !== 'false') {
    throw new Error('--bursts must be true or false');
  }
  const restMessageIds = values['rest-message-ids'];
  if (restMessageIds !== undefined && restMessageIds !== 'string' && restMessageIds !== 'number') {
    throw new Error('--rest-message-ids must be string or number');
  }
  const vchatNumbers = values['vchat-numbers'];
  if (vchatNumbers !== undefined && vchatNumbers !== 'number' && vchatNumbers !== 'string') {
    throw new Error('--vchat-numbers must be number or string');
  }
  const frames = values['eventbus-frames'];
  if (frames !== undefined && frames !== 'binary' && frames !== 'text') {
    throw new Error('--eventbus-frames must be binary or text');
  }
  return {
    port: number('port', values.port),
    host: values.host,
    seed: number('seed', values.seed),
    rooms: number('rooms', values.rooms),
    ratePerRoom: number('rate', values.rate),
    presentPerRoom: wholeNumber('present', values.present, MIN_PRESENT, MAX_PRESENT),
    casing,
    heartbeatMs: number('heartbeat-ms', values['heartbeat-ms']),
    tokenTtlMs: number('token-ttl-ms', values['token-ttl-ms']),
    bursts: bursts === undefined ? undefined : bursts === 'true',
    forbiddenShare: number('forbidden-share', values['forbidden-share']),
    directShare: number('direct-share', values['direct-share']),
    spamShare: number('spam', values.spam),
    raidEveryMs: number('raid-every-ms', values['raid-every-ms']),
    raidUsers: number('raid-users', values['raid-users']),
    restMessageIds,
    vchatcloudRooms: number('vchat-rooms', values['vchat-rooms']),
    vchatcloudNumbers: vchatNumbers,
    eventbusFrames: frames,
    eventbusPingTimeoutMs: number('eventbus-ping-timeout-ms', values['eventbus-ping-timeout-ms']),
    messagesPerRoom: number('messages-per-room', values['messages-per-room']),
    deliveryLogLimit: number('delivery-log-limit', values['delivery-log-limit']),
    strict: values.strict,
  };
}

async function main(): Promise<void> {
  let options: SandboxOptions;
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const sandbox = await startSandbox(options);
  const description = {
    flipflop: sandbox.flipflop,
    vchatcloud: sandbox.vchatcloud,
    control: sandbox.control,
  };
  process.stdout.write(`${JSON.stringify(description)}\n`);

  const stop = (): void => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    // Nothing else keeps the process alive once the sandbox is closed, so it ends by itself.
    sandbox.close().catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
