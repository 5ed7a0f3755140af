import { describe, expect, it } from 'vitest';
import type { Beds24Booking } from '../../src/integrations/beds24/client/beds24_schemas.ts';
import {
  fromBeds24Guest,
  toBeds24Guest,
  type Beds24GuestFields,
  type PmsGuestFields,
} from '../../src/integrations/beds24/mappers/guest_mapper.ts';
import type { GuestRow } from '../../src/pms/guests/guest_schemas.ts';
import { bareGuest, fullGuest } from './guest_fixtures.ts';

const guest = (overrides: Partial<GuestRow>): GuestRow => ({ ...fullGuest, ...overrides });

/** `head` repeated to exactly the limit, then a different tail that must be cut off. */
const overLong = (head: string, limit: number, tail: string): string => head.repeat(limit) + tail;

describe('toBeds24Guest', () => {
  it.each<[string, GuestRow, Beds24GuestFields]>([
    [
      'every field known',
      fullGuest,
      {
        firstName: 'Ada',
        lastName: 'Lovelace',
        email: 'ada@example.com',
        phone: '+44 20 7946 0000',
        address: '12 St James Square',
        city: 'London',
        postcode: 'SW1Y 4JH',
        country2: 'GB',
        lang: 'en',
      },
    ],
    [
      'only the names known: empty strings, country2 null kept, email and lang omitted',
      bareGuest,
      { firstName: 'Grace', lastName: 'Hopper', phone: '', address: '', city: '', postcode: '', country2: null },
    ],
    [
      'email null: omitted, the rest kept',
      guest({ email: null }),
      {
        firstName: 'Ada',
        lastName: 'Lovelace',
        phone: '+44 20 7946 0000',
        address: '12 St James Square',
        city: 'London',
        postcode: 'SW1Y 4JH',
        country2: 'GB',
        lang: 'en',
      },
    ],
    [
      'language null: lang omitted, email kept',
      guest({ language: null }),
      {
        firstName: 'Ada',
        lastName: 'Lovelace',
        email: 'ada@example.com',
        phone: '+44 20 7946 0000',
        address: '12 St James Square',
        city: 'London',
        postcode: 'SW1Y 4JH',
        country2: 'GB',
      },
    ],
    [
      'country null: country2 sent as null (clears it in Beds24)',
      guest({ country: null }),
      {
        firstName: 'Ada',
        lastName: 'Lovelace',
        email: 'ada@example.com',
        phone: '+44 20 7946 0000',
        address: '12 St James Square',
        city: 'London',
        postcode: 'SW1Y 4JH',
        country2: null,
        lang: 'en',
      },
    ],
    [
      'phone, address, city, postcode null: empty strings so Beds24 drops stale values',
      guest({ phone: null, address: null, city: null, postcode: null }),
      {
        firstName: 'Ada',
        lastName: 'Lovelace',
        email: 'ada@example.com',
        phone: '',
        address: '',
        city: '',
        postcode: '',
        country2: 'GB',
        lang: 'en',
      },
    ],
    [
      'every field exactly at its Beds24 limit: nothing cut',
      guest({
        first_name: 'f'.repeat(100),
        last_name: 'l'.repeat(100),
        email: `${'e'.repeat(88)}@example.com`,
        phone: '9'.repeat(100),
        address: 'a'.repeat(250),
        city: 'c'.repeat(100),
        postcode: 'p'.repeat(100),
      }),
      {
        firstName: 'f'.repeat(100),
        lastName: 'l'.repeat(100),
        email: `${'e'.repeat(88)}@example.com`,
        phone: '9'.repeat(100),
        address: 'a'.repeat(250),
        city: 'c'.repeat(100),
        postcode: 'p'.repeat(100),
        country2: 'GB',
        lang: 'en',
      },
    ],
    // An email over the limit is omitted rather than cut: a cut email is no longer an address.
    [
      'every field one character over its limit: cut to the limit, the email omitted',
      guest({
        first_name: overLong('f', 100, 'X'),
        last_name: overLong('l', 100, 'X'),
        email: overLong('e', 100, 'X'),
        phone: overLong('9', 100, 'X'),
        address: overLong('a', 250, 'X'),
        city: overLong('c', 100, 'X'),
        postcode: overLong('p', 100, 'X'),
      }),
      {
        firstName: 'f'.repeat(100),
        lastName: 'l'.repeat(100),
        phone: '9'.repeat(100),
        address: 'a'.repeat(250),
        city: 'c'.repeat(100),
        postcode: 'p'.repeat(100),
        country2: 'GB',
        lang: 'en',
      },
    ],
    [
      'far over-long values: cut to the limit, the head kept, the email omitted',
      guest({
        first_name: overLong('F', 100, 'tail'.repeat(50)),
        last_name: overLong('L', 100, 'tail'.repeat(50)),
        email: overLong('m', 100, '@example.com'),
        phone: overLong('1', 100, '2'.repeat(400)),
        address: overLong('A', 250, 'B'.repeat(750)),
        city: overLong('C', 100, 'D'.repeat(900)),
        postcode: overLong('P', 100, 'Q'.repeat(50)),
      }),
      {
        firstName: 'F'.repeat(100),
        lastName: 'L'.repeat(100),
        phone: '1'.repeat(100),
        address: 'A'.repeat(250),
        city: 'C'.repeat(100),
        postcode: 'P'.repeat(100),
        country2: 'GB',
        lang: 'en',
      },
    ],
    [
      'lowercase country and uppercase language: passed on verbatim (the PMS normalises them on input)',
      guest({ country: 'de', language: 'EN' }),
      {
        firstName: 'Ada',
        lastName: 'Lovelace',
        email: 'ada@example.com',
        phone: '+44 20 7946 0000',
        address: '12 St James Square',
        city: 'London',
        postcode: 'SW1Y 4JH',
        country2: 'de',
        lang: 'EN',
      },
    ],
    [
      'user-assigned country code and rare language: passed on as they are',
      guest({ country: 'XK', language: 'rm' }),
      {
        firstName: 'Ada',
        lastName: 'Lovelace',
        email: 'ada@example.com',
        phone: '+44 20 7946 0000',
        address: '12 St James Square',
        city: 'London',
        postcode: 'SW1Y 4JH',
        country2: 'XK',
        lang: 'rm',
      },
    ],
    [
      'non-ASCII values within the limits: untouched',
      guest({
        first_name: 'Zoë',
        last_name: 'Ørsted-Müller',
        city: 'Köln',
        address: 'Straße 1',
        country: 'DE',
        language: 'de',
      }),
      {
        firstName: 'Zoë',
        lastName: 'Ørsted-Müller',
        email: 'ada@example.com',
        phone: '+44 20 7946 0000',
        address: 'Straße 1',
        city: 'Köln',
        postcode: 'SW1Y 4JH',
        country2: 'DE',
        lang: 'de',
      },
    ],
  ])('%s', (_name, input, expected) => {
    // toStrictEqual: an omitted field must be absent, not present as undefined.
    expect(toBeds24Guest(input)).toStrictEqual(expected);
  });

  it.each<[string, GuestRow, string[]]>([
    [
      'a guest with every field',
      fullGuest,
      ['firstName', 'lastName', 'email', 'phone', 'address', 'city', 'postcode', 'country2', 'lang'],
    ],
    [
      'a guest with only names',
      bareGuest,
      ['firstName', 'lastName', 'phone', 'address', 'city', 'postcode', 'country2'],
    ],
  ])('sends exactly the guest keys it owns: %s', (_name, input, keys) => {
    expect(Object.keys(toBeds24Guest(input)).sort()).toEqual([...keys].sort());
  });

  // Cutting UTF-16 units would leave half an emoji (a lone surrogate) that strict JSON decoders reject.
  it.each<[string, GuestRow, keyof Beds24GuestFields]>([
    [
      'first name of one letter and 99 emoji (199 UTF-16 units)',
      guest({ first_name: `x${'😀'.repeat(99)}` }),
      'firstName',
    ],
    ['address whose 250th code unit starts an emoji', guest({ address: `${'a'.repeat(249)}😀` }), 'address'],
  ])('a cut value stays a well-formed string: %s', (_name, input, field) => {
    const value = toBeds24Guest(input)[field];
    expect(typeof value).toBe('string');
    expect(typeof value === 'string' && value.isWellFormed()).toBe(true);
  });
});

const booking = (fields: Omit<Beds24Booking, 'id'>): Beds24Booking => ({ id: 71000001, ...fields });

const unknownGuest: PmsGuestFields = {
  first_name: 'Unknown',
  last_name: 'Guest',
  email: null,
  phone: null,
  address: null,
  city: null,
  postcode: null,
  country: null,
  language: null,
};

describe('fromBeds24Guest', () => {
  it.each<[string, Beds24Booking, PmsGuestFields]>([
    [
      'every guest field present',
      booking({
        firstName: 'Marie',
        lastName: 'Curie',
        email: 'marie@example.org',
        phone: '+33 1 23 45 67 89',
        mobile: '+33 6 12 34 56 78',
        address: '11 Rue Pierre et Marie Curie',
        city: 'Paris',
        postcode: '75005',
        country2: 'FR',
        lang: 'fr',
      }),
      {
        first_name: 'Marie',
        last_name: 'Curie',
        email: 'marie@example.org',
        phone: '+33 1 23 45 67 89',
        address: '11 Rue Pierre et Marie Curie',
        city: 'Paris',
        postcode: '75005',
        country: 'FR',
        language: 'fr',
      },
    ],
    ['no guest fields at all: placeholder names, everything else null', booking({}), unknownGuest],
    [
      'names missing, other fields present',
      booking({ email: 'x@example.org' }),
      { ...unknownGuest, email: 'x@example.org' },
    ],
    ['only the first name missing', booking({ lastName: 'Curie' }), { ...unknownGuest, last_name: 'Curie' }],
    ['only the last name missing', booking({ firstName: 'Marie' }), { ...unknownGuest, first_name: 'Marie' }],
    ['blank and whitespace names count as missing', booking({ firstName: '', lastName: '   ' }), unknownGuest],
    ['null names count as missing', booking({ firstName: null, lastName: null }), unknownGuest],
    [
      'values are trimmed',
      booking({ firstName: '  Marie ', lastName: '\tCurie\n', email: ' marie@example.org ', city: ' Paris ' }),
      { ...unknownGuest, first_name: 'Marie', last_name: 'Curie', email: 'marie@example.org', city: 'Paris' },
    ],
    [
      'blank optional fields become null',
      booking({ firstName: 'M', lastName: 'C', email: '', phone: ' ', address: '', city: '  ', postcode: '' }),
      { ...unknownGuest, first_name: 'M', last_name: 'C' },
    ],
    [
      'no phone: the mobile number is used',
      booking({ mobile: '+33 6 12 34 56 78' }),
      { ...unknownGuest, phone: '+33 6 12 34 56 78' },
    ],
    [
      'blank phone: the mobile number is used',
      booking({ phone: '  ', mobile: '+33 6 12 34 56 78' }),
      { ...unknownGuest, phone: '+33 6 12 34 56 78' },
    ],
    [
      'phone and mobile: the phone wins',
      booking({ phone: '+33 1 00 00 00 00', mobile: '+33 6 12 34 56 78' }),
      { ...unknownGuest, phone: '+33 1 00 00 00 00' },
    ],
    ['neither phone nor mobile', booking({ phone: '', mobile: '' }), unknownGuest],
    [
      'non-string phone ignored, mobile used',
      booking({ phone: 33123456789, mobile: '+33 6 12' }),
      { ...unknownGuest, phone: '+33 6 12' },
    ],
    ['lowercase country is uppercased', booking({ country2: 'de' }), { ...unknownGuest, country: 'DE' }],
    ['mixed-case country is uppercased', booking({ country2: 'gB' }), { ...unknownGuest, country: 'GB' }],
    ['country with surrounding spaces is trimmed', booking({ country2: ' at ' }), { ...unknownGuest, country: 'AT' }],
    ['country as a full name is dropped', booking({ country2: 'Germany' }), unknownGuest],
    ['three-letter country code is dropped', booking({ country2: 'DEU' }), unknownGuest],
    ['one-letter country is dropped', booking({ country2: 'D' }), unknownGuest],
    ['country with a digit is dropped', booking({ country2: 'D1' }), unknownGuest],
    ['country with a non-ASCII letter is dropped', booking({ country2: 'ÖS' }), unknownGuest],
    ['country as a number is dropped', booking({ country2: 49 }), unknownGuest],
    ['empty country is dropped', booking({ country2: '' }), unknownGuest],
    ['uppercase language is lowercased', booking({ lang: 'EN' }), { ...unknownGuest, language: 'en' }],
    ['language as a word is dropped', booking({ lang: 'english' }), unknownGuest],
    ['language with a region is dropped', booking({ lang: 'en-GB' }), unknownGuest],
    ['one-letter language is dropped', booking({ lang: 'e' }), unknownGuest],
  ])('%s', (_name, input, expected) => {
    expect(fromBeds24Guest(input)).toStrictEqual(expected);
  });
});
