import { adminCursorInvalid } from '../errors/catalogue';

// A cursor names the last trigger of the page before. It is opaque to clients (base64url), so the
// server may change what it holds without breaking them.
const shape = /^[0-9a-f-]{1,64}$/;

/** The cursor of the page after the one that ended with this trigger. */
export function cursorAfter(triggerUUID: string): string {
  return Buffer.from(triggerUUID, 'utf8').toString('base64url');
}

/** The trigger a cursor names; a 400 for one this server did not give. */
export function triggerOfCursor(cursor: string): string {
  const triggerUUID = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!shape.test(triggerUUID) || cursorAfter(triggerUUID) !== cursor) throw adminCursorInvalid();
  return triggerUUID;
}
