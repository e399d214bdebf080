/**
 * Reproduction of a race with netconfd's "RPC in the same read as the hello" quirk: opens fresh
 * sessions for `seconds` and sends one RPC on each right after connect; counts first RPCs that get
 * no reply within 3 s. Session waits for the server's hello and for its own hello write to
 * complete, but netconfd sends its hello before reading ours, so under load our hello and the
 * first RPC can still reach netconfd in one read.
 *   node dist/test/interop/helpers/first-rpc-race.js [seconds]     (lab running)
 * Measured with other load on the machine: 2 of 142 sessions hung.
 */
import { connect } from './lab';

async function main(seconds: number): Promise<number> {
  let sessions = 0;
  let hung = 0;
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const m = await connect({ rpcTimeout: 3 });
    sessions++;
    try {
      await m.discardChanges();
    } catch (err) {
      hung++;
      console.log(`session ${m.sessionId}: ${(err as Error).message}`);
    }
    await m.close();
  }
  console.log(`${sessions} sessions, ${hung} first RPCs unanswered`);
  return hung;
}

if (require.main === module) {
  main(Number(process.argv[2] ?? 40)).then(
    (hung) => process.exit(hung > 0 ? 1 : 0),
    (err: unknown) => {
      console.error(err);
      process.exit(2);
    },
  );
}
