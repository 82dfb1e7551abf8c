import { adminAuthentication } from '../auth/admin-authentication';
import type { OperationRoute } from '../http/operation-route';
import type { OperationPlugin } from '../http/spec-routes';
import { cursorAfter, placeOfCursor } from './admin-cursor';
import { readParametersAsText, type AdminDependencies } from './admin-dependencies';
import { adminTriggerSummary } from './admin-views';

const time = (value: string | undefined) => (value === undefined ? undefined : Date.parse(value));

/** `listAdminTriggers`: a page of an organisation's triggers, newest first, and the cursor of the next. */
export function listAdminTriggers({ authentication, store }: AdminDependencies): OperationPlugin {
  return async (app, { route }) => {
    readParametersAsText(app);
    app.route<OperationRoute<'listAdminTriggers'>>({
      ...route,
      onRequest: adminAuthentication(authentication),
      handler: async (request) => {
        const { orgId } = request.params;
        const { status, vsn, createdFrom, createdBefore, callbackState, cursor } = request.query;
        // The schema's default fills it in.
        const limit = request.query.limit!;
        // One more than the page holds tells whether there is a next page.
        const found = await store.admin.listTriggers({
          orgId,
          status,
          vsn,
          createdFrom: time(createdFrom),
          createdBefore: time(createdBefore),
          callbackState,
          afterTriggerUUID: cursor === undefined ? undefined : placeOfCursor(cursor),
          limit: limit + 1,
        });
        const page = found.slice(0, limit);
        const last = page.at(-1);
        return {
          triggers: page.map(adminTriggerSummary),
          nextCursor: found.length > limit && last ? cursorAfter(last.triggerUUID) : undefined,
        };
      },
    });
  };
}
