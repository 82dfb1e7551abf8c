// A cursor names the place in the list after the last trigger of the page before: the list is in
// triggerUUID order, so any string is a place. It is opaque to clients (base64url, the spec's
// pattern), so the server may change what it holds without breaking them.

/** The cursor of the page after the one that ended with this trigger. */
export function cursorAfter(triggerUUID: string): string {
  return Buffer.from(triggerUUID, 'utf8').toString('base64url');
}

/** The place a cursor names: the page holds the triggers after it. */
export function placeOfCursor(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString('utf8');
}
