/**
 * apiV2.yaml says some things in prose that its schemas do not encode, so read literally it rejects its
 * own examples. These functions patch the in-memory copy (the file stays untouched) so validation
 * follows the documented behaviour.
 */

/** "To remove any property, set the value to null." on the calendar range item. */
const ALL_PROPERTIES_NULLABLE = /set the value to null/i;
/** "If set to null then...", "Set to null to hide.", "Can be set to null to remove the limit." */
const THIS_PROPERTY_NULLABLE = /\bset to null\b/i;

/** Marks nullable every field whose description documents `null` as "clear this". */
export function applyDocumentedNulls(node: unknown): void {
  if (Array.isArray(node)) {
    for (const child of node) applyDocumentedNulls(child);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const schema = node as Record<string, unknown>;
  const properties = schema.properties;
  if (isRecord(properties)) {
    const all = typeof schema.description === 'string' && ALL_PROPERTIES_NULLABLE.test(schema.description);
    for (const property of Object.values(properties)) {
      if (!isRecord(property)) continue;
      const own = typeof property.description === 'string' && THIS_PROPERTY_NULLABLE.test(property.description);
      // Ajv rejects `nullable` without a sibling `type`, and wants null listed in an `enum`.
      if ((all || own) && typeof property.type === 'string') {
        property.nullable = true;
        if (Array.isArray(property.enum) && !property.enum.includes(null)) property.enum = [...property.enum, null];
      }
    }
  }
  for (const child of Object.values(schema)) applyDocumentedNulls(child);
}

/**
 * POST /bookings items are `{id?} + newBooking + actions`, and newBooking requires roomId, arrival and
 * departure; but an item with `id` is an update that sends only what changes (the spec's own
 * `updateBooking` example is `[{ id, departure }]`). Items with an id get newBooking without `required`.
 */
export function allowUpdatesWithoutCreateFields(doc: {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> };
}): void {
  const newBooking = doc.components.schemas.newBooking;
  const schema = jsonBodySchema(doc.paths['/bookings']?.post);
  if (!isRecord(newBooking) || !isRecord(schema) || !isRecord(schema.items) || !Array.isArray(schema.items.allOf))
    return;
  const createItem = schema.items;
  const { required: _required, ...updatableBooking } = newBooking;
  const allOf = createItem.allOf as unknown[];
  const updateItem = {
    allOf: allOf.map((part) =>
      isRecord(part) && part.$ref === '#/components/schemas/newBooking' ? updatableBooking : part,
    ),
  };
  schema.items = { if: { type: 'object', required: ['id'] }, then: updateItem, else: createItem };
}

function jsonBodySchema(operation: unknown): Record<string, unknown> | undefined {
  if (!isRecord(operation) || !isRecord(operation.requestBody) || !isRecord(operation.requestBody.content))
    return undefined;
  const json = operation.requestBody.content['application/json'];
  return isRecord(json) && isRecord(json.schema) ? json.schema : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
