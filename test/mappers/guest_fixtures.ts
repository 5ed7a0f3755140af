import type { GuestRow } from '../../src/pms/guests/guest_schemas.ts';

/** A guest with every field filled in. */
export const fullGuest: GuestRow = {
  id: '0b7f3c52-6a43-4a43-9a0e-2f1d6f0c1a11',
  first_name: 'Ada',
  last_name: 'Lovelace',
  email: 'ada@example.com',
  phone: '+44 20 7946 0000',
  address: '12 St James Square',
  city: 'London',
  postcode: 'SW1Y 4JH',
  country: 'GB',
  language: 'en',
};

/** A guest with only the required names. */
export const bareGuest: GuestRow = {
  id: '0b7f3c52-6a43-4a43-9a0e-2f1d6f0c1a12',
  first_name: 'Grace',
  last_name: 'Hopper',
  email: null,
  phone: null,
  address: null,
  city: null,
  postcode: null,
  country: null,
  language: null,
};
