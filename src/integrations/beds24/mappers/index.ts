export * from './guest_mapper.ts';
export * from './reservation_mapper.ts';
export * from './booking_import_mapper.ts';
