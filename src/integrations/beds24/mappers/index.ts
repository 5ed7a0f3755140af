export * from './guest_mapper.ts';
export * from './reservation_mapper.ts';
