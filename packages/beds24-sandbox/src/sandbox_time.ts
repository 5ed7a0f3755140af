/** Beds24 writes timestamps as UTC without milliseconds: `2026-07-24T10:15:00Z`. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
