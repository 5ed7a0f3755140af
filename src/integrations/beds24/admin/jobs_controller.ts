import type { RequestHandler } from 'express';
import type { Knex } from '../../../db.ts';
import { toPage } from '../../../http/pagination.ts';
import { parse } from '../../../http/validate.ts';
import { daysBetween } from '../../../utils/dates.ts';
import type { Beds24Sync } from '../beds24_sync.ts';
import { listFailures, type FailureRow } from '../store/failures_store.ts';
import { JobIdParams, JobsQuery } from './admin_schemas.ts';

export interface JobsControllerDeps {
  db: Knex;
  sync: Pick<Beds24Sync, 'retryFailure'>;
}

/** What a failed item is about, in the hotel's words. */
export type FailureSubject = ReservationSubject | { beds24_room_id: number; room_numbers: string[] } | null;

interface ReservationSubject {
  reservation_id: string;
  guest_name: string;
  room_number: string;
  check_in: string;
  check_out: string;
  nights: number;
}

interface StayRow {
  id: string;
  first_name: string;
  last_name: string;
  number: string;
  check_in: string;
  check_out: string;
}

/** One query per kind for a page of failures, so the list costs the same whatever it holds. */
async function subjectsOf(db: Knex, rows: FailureRow[]): Promise<Map<string, FailureSubject>> {
  const subjects = new Map<string, FailureSubject>();
  const reservationIds = rows.filter((r) => r.kind === 'reservation').map((r) => r.entity_id);
  if (reservationIds.length > 0) {
    const stays: StayRow[] = await db('reservations as r')
      .join('guests as g', 'g.id', 'r.guest_id')
      .join('rooms as rm', 'rm.id', 'r.room_id')
      .whereIn('r.id', reservationIds)
      .select('r.id', 'g.first_name', 'g.last_name', 'rm.number', 'r.check_in', 'r.check_out');
    for (const stay of stays) {
      subjects.set(`reservation:${stay.id}`, {
        reservation_id: stay.id,
        guest_name: `${stay.first_name} ${stay.last_name}`,
        room_number: stay.number,
        check_in: stay.check_in,
        check_out: stay.check_out,
        nights: daysBetween(stay.check_in, stay.check_out),
      });
    }
  }
  const calendar = rows.filter((r) => r.kind === 'calendar');
  if (calendar.length > 0) {
    const mapped: Array<{ property_id: string; beds24_room_id: number; number: string }> = await db('rooms')
      .whereIn('property_id', [...new Set(calendar.map((r) => r.property_id))])
      .whereIn(
        'beds24_room_id',
        calendar.map((r) => Number(r.entity_id)),
      )
      .orderBy('number')
      .select('property_id', 'beds24_room_id', 'number');
    for (const row of calendar) {
      const roomId = Number(row.entity_id);
      const numbers = mapped
        .filter((m) => m.property_id === row.property_id && m.beds24_room_id === roomId)
        .map((m) => m.number);
      subjects.set(`calendar:${row.property_id}:${roomId}`, { beds24_room_id: roomId, room_numbers: numbers });
    }
  }
  return subjects;
}

function subjectKey(row: FailureRow): string {
  return row.kind === 'calendar' ? `calendar:${row.property_id}:${row.entity_id}` : `${row.kind}:${row.entity_id}`;
}

function present(row: FailureRow, subjects: Map<string, FailureSubject>) {
  return {
    id: row.id,
    property_id: row.property_id,
    kind: row.kind,
    reservation_id: row.kind === 'reservation' ? row.entity_id : null,
    beds24_room_id: row.kind === 'calendar' ? Number(row.entity_id) : null,
    job_kind: row.kind === 'job' ? row.entity_id : null,
    state: row.state,
    attempts: row.attempts,
    last_error: { code: row.error_code, message: row.error_message },
    subject: subjects.get(subjectKey(row)) ?? null,
    failed_at: row.failed_at,
    updated_at: row.updated_at,
  };
}

export function createJobsController({ db, sync }: JobsControllerDeps) {
  const listJobsHandler: RequestHandler = async (req, res) => {
    const query = parse(JobsQuery, req.query, 'query');
    const { state, property_id: propertyId, limit, cursor } = query;
    const rows = await listFailures(db, { state, propertyId, limit, cursor });
    const subjects = await subjectsOf(db, rows);
    res.json(toPage(rows, query.limit, (row) => present(row, subjects), 'failed_at'));
  };

  /** Puts the failed thing back in the outbox and queues its property's job. */
  const retryJobHandler: RequestHandler = async (req, res) => {
    const { id } = parse(JobIdParams, req.params, 'path');
    const row = await sync.retryFailure(id);
    res.status(202).json(present(row, await subjectsOf(db, [row])));
  };

  return { listJobsHandler, retryJobHandler };
}
