import { parseArgs } from 'node:util';
import { systemClock } from '../../../clock.ts';
import { loadEnv, type Env } from '../../../config.ts';
import type { Knex } from '../../../db.ts';
import { openDatabase } from '../../../db/open_database.ts';
import { migrateLatest } from '../../../db/migrate.ts';
import { resolveSecrets } from '../../../dev_secrets.ts';
import { AppError } from '../../../errors.ts';
import { createLogger, type Logger } from '../../../logger.ts';
import { useEncryptionKey } from '../../../utils/encryption.ts';
import { Beds24Sync } from '../beds24_sync.ts';
import { findRunningDemoSandbox, startDemoSandbox } from '../demo/demo_sandbox.ts';
import type { ImportSummary } from '../services/booking_import_service.ts';
import type { CalendarDriftRange, DriftCause } from '../services/drift_ranges.ts';
import { configuredProperties, isPushEnabled } from '../store/config_store.ts';
import { countPendingChanges } from '../store/outbox_store.ts';

const USAGE = `usage: npm run beds24 -- <command> [options]

  connect --property <id> --invite-code <code> [--beds24-property <id>]
                       connect a PMS property to Beds24 (the Beds24 property is found when the account has one)
  resync --property <id> [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                       send bookings and calendar again, showing progress until Beds24 is in step
  status [--property <id>]
                       queue depth, failed items, oldest pending change, last push, credits, per property
  retry-failed [--property <id>]
                       put every failed item back in the queue
  verify [--property <id>] [--no-repair]
                       read Beds24 back, list what differs, and (unless --no-repair) put it right
  pull [--property <id>]
                       import every current and future booking from Beds24 now (a full import)`;

class UsageError extends AppError {
  constructor(message: string) {
    super('usage', 2, message);
  }
}

type Out = (line: string) => void;

/** Commands that call Beds24; the others (status, retry-failed) work on the database alone. */
const NEEDS_BEDS24 = new Set(['connect', 'resync', 'verify', 'pull']);

type Stops = Array<() => Promise<void>>;

/**
 * BEDS24_API_URL; in demo mode, the sandbox of a demo server running in this folder, or else the demo
 * sandbox started here from its state file (stopped at exit, like everything the command line starts).
 */
async function beds24Url(env: Env, logger: Logger, stops: Stops): Promise<string> {
  if (env.BEDS24_API_URL) return env.BEDS24_API_URL;
  const running = await findRunningDemoSandbox(env.DATA_DIR);
  if (running !== undefined) return running;
  const demo = await startDemoSandbox(env.DATA_DIR, logger, { publish: false });
  stops.push(() => demo.close());
  return demo.url;
}

const CAUSES: Record<DriftCause, string> = {
  unknown_room: 'the Beds24 account has no such room',
  push_failed: 'Beds24 refused the last push',
  pending: 'changes are waiting to be pushed',
  former_room: 'no PMS room maps to it any more, so it must be closed',
  changed_in_beds24: 'changed in Beds24 after our push',
  not_pushed: 'Beds24 never accepted this value from us',
};

/** One line per Beds24 room and run of nights, e.g. `room 200001 2027-03-04..2027-03-06 (3 nights): ...`. */
function describeRange(range: CalendarDriftRange): string {
  const nights = range.nights === 1 ? `${range.from} (1 night)` : `${range.from}..${range.to} (${range.nights} nights)`;
  const values = (v: CalendarDriftRange['actual']): string => {
    const units = `${v.num_avail ?? '-'} @ ${v.price1 ?? '-'}`;
    if (v.override === undefined) return units;
    return `${units}, min stay ${v.min_stay ?? '-'}, max stay ${v.max_stay ?? '-'}, override ${v.override ?? '-'}`;
  };
  const cause = `${CAUSES[range.cause]} [${range.cause}]${range.message === null ? '' : `: ${range.message}`}`;
  const seen = `Beds24 has ${values(range.actual)}, PMS says ${values(range.expected)}`;
  return `room ${range.beds24_room_id} ${nights}: ${seen}; ${cause}`;
}

function describeImport(summary: ImportSummary): string {
  const overbooked = summary.unassigned > 0 ? `, ${summary.unassigned} without a free room (overbooking)` : '';
  return (
    `${summary.pulled} booking(s) read in ${summary.calls} call(s): ${summary.created} created, ` +
    `${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.ignored} not imported${overbooked}`
  );
}

function bar(done: number, total: number): string {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  const percent = total === 0 ? 100 : Math.round((done / total) * 100);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}%`;
}

export async function runCli(argv: string[], out: Out = (line) => process.stdout.write(`${line}\n`)): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      property: { type: 'string' },
      'invite-code': { type: 'string' },
      'beds24-property': { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'no-repair': { type: 'boolean' },
    },
    strict: true,
  });
  const commands = ['connect', 'resync', 'status', 'retry-failed', 'verify', 'pull'];
  if (!command || !commands.includes(command)) throw new UsageError(USAGE);

  const env = loadEnv(process.env);
  const logger = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
  const secrets = await resolveSecrets(env);
  useEncryptionKey(secrets.encryptionKey);
  // Stopped in reverse order at exit, whatever happens: nothing the command line starts outlives it.
  const stops: Stops = [];
  try {
    const database = await openDatabase(env, logger);
    stops.push(() => database.close());
    const db = database.db;
    await migrateLatest(db);
    const sync = new Beds24Sync({
      db,
      databaseUrl: database.url,
      beds24ApiUrl: NEEDS_BEDS24.has(command) ? await beds24Url(env, logger, stops) : undefined,
      encryptionKey: secrets.encryptionKey,
      horizonDays: env.SYNC_HORIZON_DAYS,
      logger,
      clock: systemClock,
    });
    stops.push(() => sync.stop(5000));
    // `status` only reads: it does not even start the queue.
    if (command !== 'status') await sync.start({ workers: command === 'resync' });
    switch (command) {
      case 'status':
        return await printStatus(db, sync, values.property, out);
      case 'retry-failed': {
        // Queued again in the database; a running server (or the next start) pushes them.
        out(`${await sync.retryFailed(values.property)} failed item(s) queued again`);
        return 0;
      }
      case 'connect': {
        if (!values.property || !values['invite-code'])
          throw new UsageError('connect needs --property and --invite-code');
        const config = await sync.connect({
          propertyId: values.property,
          beds24PropertyId: values['beds24-property'] ? Number(values['beds24-property']) : undefined,
          inviteCode: values['invite-code'],
        });
        const queued = isPushEnabled(config)
          ? 'a full resync is queued'
          : 'pushes are off (sync_enabled or push_sync_enabled)';
        out(`connected property ${config.property_id} to Beds24 property ${config.beds24_property_id}; ${queued}`);
        return 0;
      }
      case 'resync': {
        if (!values.property) throw new UsageError('resync needs --property');
        const propertyId = values.property;
        await sync.resync(propertyId, { from: values.from, to: values.to });
        const pending = (): Promise<number> => countPendingChanges(db, propertyId);
        const total = await pending();
        for (let left = total; left > 0; left = await pending()) {
          process.stderr.write(`\r${bar(total - left, total)} ${left} change(s) left `);
          await systemClock.sleep(250);
        }
        process.stderr.write(`\r${bar(total, total)} done${' '.repeat(20)}\n`);
        const status = await sync.status(propertyId);
        out(`resync done: failed items ${status.failed_jobs}, credits left ${status.credits.remaining ?? 'unknown'}`);
        return status.failed_jobs > 0 ? 1 : 0;
      }
      case 'verify': {
        let differences = 0;
        for (const property of await configuredProperties(db, values.property)) {
          const report = await sync.verify(property.id, { repair: !values['no-repair'], priority: 'normal' });
          if (!report) {
            out(`${property.name}: not connected or pushes off`);
            continue;
          }
          differences += report.calendar.length + report.bookings.length;
          const repair = report.repaired && differences > 0 ? ', repair queued' : '';
          const counts = `${report.calendar.length} night(s) and ${report.bookings.length} booking(s)`;
          out(`${property.name}: ${counts} differ${repair}`);
          for (const range of report.calendar_ranges) out(`  ${describeRange(range)}`);
          for (const booking of report.bookings) {
            const ids = `booking ${booking.beds24_booking_id ?? '-'} of reservation ${booking.reservation_id ?? '-'}`;
            out(`  ${ids}: ${booking.problem} ${booking.fields.join(', ')}`);
          }
        }
        return differences > 0 ? 1 : 0;
      }
      case 'pull': {
        for (const property of await configuredProperties(db, values.property)) {
          const summary = await sync.pullNow(property.id, { reason: 'command_line', priority: 'high', full: true });
          if (summary.pull === 'none') {
            out(`${property.name}: not connected or pulls off`);
            continue;
          }
          out(`${property.name}: ${describeImport(summary)}`);
        }
        return 0;
      }
      default:
        throw new UsageError(USAGE);
    }
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
}

async function printStatus(db: Knex, sync: Beds24Sync, propertyId: string | undefined, out: Out): Promise<number> {
  for (const property of await configuredProperties(db, propertyId)) {
    const s = await sync.status(property.id);
    const depth = Object.entries(s.queue_depth)
      .map(([kind, d]) => `${kind} ${d.pending_changes}/${d.queued}/${d.running}`)
      .join(', ');
    const lastPush = s.last_successful_push_at?.toISOString() ?? 'never';
    out(`${property.name} (${property.id})`);
    const onOff = (on: boolean | null): string => (on ? 'on' : 'off');
    out(`  connected ${s.connected}, sync ${onOff(s.sync_enabled)}, push ${onOff(s.push_sync_enabled)}`);
    out(`  pending/queued/running: ${depth}`);
    const oldest = s.oldest_pending_change_age_s ?? '-';
    out(`  failed items ${s.failed_jobs}, oldest pending change ${oldest} s, last push ${lastPush}`);
    out(`  credits ${s.credits.remaining ?? 'unknown'} left, reset in ${s.credits.resets_in_s ?? '-'} s`);
    const lastPull = s.last_pull_at?.toISOString() ?? 'never';
    out(`  pull ${onOff(s.pull_sync_enabled)}, last pull ${lastPull}, webhooks in 24 h ${s.webhooks.received_24h}`);
    out(`  imported bookings ${s.imported_bookings}, unassigned (overbookings) ${s.unassigned_reservations}`);
  }
  return 0;
}

if (import.meta.main) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `${error instanceof AppError || error instanceof TypeError ? error.message : String(error)}\n`,
      );
      process.exit(2);
    },
  );
}
