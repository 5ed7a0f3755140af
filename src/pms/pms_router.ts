import { Router } from 'express';
import type { Knex } from '../db.ts';
import type { SyncHooks } from '../integrations/beds24/hooks/sync_hooks.ts';
import { createGuestsController } from './guests/guests_controller.ts';
import { createMaintenanceController } from './maintenance/maintenance_controller.ts';
import { createPropertiesController } from './properties/properties_controller.ts';
import { createRatesController } from './rates/rates_controller.ts';
import { createReservationsController } from './reservations/reservations_controller.ts';
import { createRestrictionsController } from './restrictions/restrictions_controller.ts';
import { createRoomsController } from './rooms/rooms_controller.ts';

export interface PmsDeps {
  db: Knex;
  hooks: SyncHooks;
}

/** The host PMS routes, mounted under /api. */
export function createPmsRouter(deps: PmsDeps): Router {
  const properties = createPropertiesController(deps);
  const rooms = createRoomsController(deps);
  const rates = createRatesController(deps);
  const maintenance = createMaintenanceController(deps);
  const guests = createGuestsController(deps);
  const reservations = createReservationsController(deps);
  const restrictions = createRestrictionsController(deps);

  return Router()
    .post('/properties', properties.createPropertyHandler)
    .get('/properties', properties.listPropertiesHandler)
    .get('/properties/:id', properties.getPropertyHandler)
    .put('/properties/:id/restrictions', restrictions.setRestrictionsHandler)
    .get('/properties/:id/restrictions', restrictions.getRestrictionsHandler)

    .post('/rooms', rooms.createRoomHandler)
    .get('/rooms', rooms.listRoomsHandler)
    .get('/rooms/:id', rooms.getRoomHandler)
    .patch('/rooms/:id', rooms.updateRoomHandler)
    .patch('/rooms/:id/housekeeping', rooms.updateRoomHousekeepingHandler)
    .put('/rooms/:id/rates', rates.setRoomRatesHandler)
    .get('/rooms/:id/rates', rates.getRoomRatesHandler)
    .post('/rooms/:id/maintenance', maintenance.createMaintenanceHandler)
    .get('/rooms/:id/maintenance', maintenance.listMaintenanceHandler)
    .delete('/maintenance/:id', maintenance.deleteMaintenanceHandler)

    .post('/guests', guests.createGuestHandler)
    .get('/guests/:id', guests.getGuestHandler)
    .patch('/guests/:id', guests.updateGuestHandler)

    .post('/reservations', reservations.createReservationHandler)
    .get('/reservations', reservations.listReservationsHandler)
    .get('/reservations/:id', reservations.getReservationHandler)
    .patch('/reservations/:id', reservations.updateReservationHandler)
    .delete('/reservations/:id', reservations.deleteReservationHandler);
}
