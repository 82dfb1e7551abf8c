import { DeliveryState, TriggerState, type ListAdminTriggersRequest } from '@autofacilitate/client';

/** What the table is filtered by: the query parameters of `listAdminTriggers`. */
export type TriggerFilter = Omit<ListAdminTriggersRequest, 'orgId' | 'cursor' | 'limit'>;

const dateOf = (value: FormDataEntryValue | null) => (value ? new Date(value as string) : undefined);
const textOf = (value: FormDataEntryValue | null) => (value ? (value as string) : undefined);

/** The filters above the table, applied when the form is submitted. */
export function TriggerFilters({ onApply }: { onApply: (filter: TriggerFilter) => void }) {
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    onApply({
      status: textOf(form.get('status')) as TriggerState | undefined,
      vsn: textOf(form.get('vsn')),
      callbackState: textOf(form.get('callbackState')) as DeliveryState | undefined,
      createdFrom: dateOf(form.get('createdFrom')),
      createdBefore: dateOf(form.get('createdBefore')),
    });
  };
  return (
    <form class="filters" onSubmit={submit} aria-label="Filter triggers">
      <label>
        Status
        <select name="status">
          <option value="">any</option>
          {Object.values(TriggerState).map((state) => (
            <option key={state}>{state}</option>
          ))}
        </select>
      </label>
      <label>
        Service
        <input name="vsn" type="text" placeholder="any" />
      </label>
      <label>
        Callback
        <select name="callbackState">
          <option value="">any</option>
          {Object.values(DeliveryState).map((state) => (
            <option key={state}>{state}</option>
          ))}
        </select>
      </label>
      <label>
        Created from
        <input name="createdFrom" type="datetime-local" />
      </label>
      <label>
        Created before
        <input name="createdBefore" type="datetime-local" />
      </label>
      <button type="submit">Apply filters</button>
    </form>
  );
}
