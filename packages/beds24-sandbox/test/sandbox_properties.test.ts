import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './sandbox_harness.ts';

let h: Harness;
afterEach(async () => {
  await h.close();
});

describe('GET /properties', () => {
  it("lists the caller's properties with room types and units", async () => {
    h = await startHarness({
      account: {
        properties: [
          {
            id: 555001,
            name: 'Berlin',
            timezone: 'Europe/Berlin',
            currency: 'EUR',
            rooms: [{ id: 777001, name: 'Double', qty: 2 }],
          },
          { name: 'Lisbon', timezone: 'Europe/Lisbon', rooms: [{ name: 'Suite', qty: 1 }] },
        ],
      },
    });
    h.sandbox.createAccount({ properties: [{ name: 'Not mine', rooms: [{ name: 'X', qty: 1 }] }] });
    const res = await h.call('GET', '/properties?includeAllRooms=true');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, type: 'property', count: 2, pages: { nextPageExists: false } });
    const byName = (name: string) => res.body.data.find((p: { name: string }) => p.name === name);
    expect(res.body.data.map((p: { id: number }) => p.id)).toEqual([...h.account.propertyIds].sort((x, y) => x - y));
    expect(byName('Berlin')).toEqual({
      id: 555001,
      name: 'Berlin',
      propertyType: 'hotel',
      currency: 'EUR',
      timezone: 'Europe/Berlin',
      roomTypes: [
        {
          id: 777001,
          propertyId: 555001,
          name: 'Double',
          qty: 2,
          units: [
            { id: 1, name: '1' },
            { id: 2, name: '2' },
          ],
        },
      ],
    });
    expect(byName('Lisbon')).toMatchObject({
      name: 'Lisbon',
      timezone: 'Europe/Lisbon',
      roomTypes: [{ name: 'Suite', qty: 1 }],
    });
  });

  it('filters by id, pages, and gives every entity a distinct realistic id', async () => {
    h = await startHarness({
      sandbox: { pageSize: 1 },
      account: {
        properties: [
          { name: 'A', rooms: [{ name: 'R1', qty: 1 }] },
          { name: 'B', rooms: [{ name: 'R2', qty: 1 }] },
        ],
      },
    });
    const [a, b] = h.account.propertyIds;
    expect(a).toBeGreaterThanOrEqual(100_001);
    expect(h.account.roomIds[0]).toBeGreaterThanOrEqual(200_001);
    const byId = await h.call('GET', `/properties?id=${b}`);
    expect(byId.body.data.map((p: { id: number }) => p.id)).toEqual([b]);
    const first = await h.call('GET', '/properties');
    expect(first.body.data.map((p: { id: number }) => p.id)).toEqual([a]);
    expect(first.body.pages.nextPageExists).toBe(true);
    const second = await h.call('GET', '/properties?page=2');
    expect(second.body.data.map((p: { id: number }) => p.id)).toEqual([b]);
    expect(() => h.sandbox.createAccount({ properties: [{ id: a, name: 'dup', rooms: [] }] })).toThrow(/already taken/);
  });
});
