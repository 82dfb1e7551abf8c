import type { AdminDelivery, AdminTrigger } from '@autofacilitate/client';
import { useState } from 'preact/hooks';
import { admin, problemOf } from '../api';

/** A trigger's callback deliveries, every attempt of each, and a resend for those that failed. */
export function Deliveries({
  orgId,
  trigger,
  onResent,
}: {
  orgId: string;
  trigger: AdminTrigger;
  onResent: () => void;
}) {
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const resend = async (delivery: AdminDelivery) => {
    try {
      await admin.resendAdminDelivery({ orgId, triggerUUID: trigger.triggerUUID, deliveryId: delivery.deliveryId });
      setProblem(undefined);
      onResent();
    } catch (error) {
      setProblem(await problemOf(error));
    }
  };
  if (trigger.deliveries.length === 0) return <p>No callback URLs.</p>;
  return (
    <>
      <h2>Callbacks</h2>
      {problem && (
        <p role="alert" class="problem">
          {problem}
        </p>
      )}
      {trigger.deliveries.map((delivery) => (
        <article key={delivery.deliveryId} class="delivery" aria-label={`Callback ${delivery.deliveryId}`}>
          <h3>
            Callback {delivery.deliveryId} to <span class="url">{delivery.url}</span>:{' '}
            <span class={`status ${delivery.status}`}>{delivery.status}</span>
          </h3>
          <div class="table-scroll">
            <table>
              <caption>Attempts of callback {delivery.deliveryId}</caption>
              <thead>
                <tr>
                  <th scope="col">Attempt</th>
                  <th scope="col">Started</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Response</th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                {delivery.attempts.map((attempt) => (
                  <tr key={attempt.attempt}>
                    <td>{attempt.attempt}</td>
                    <td>{attempt.startedAt.toLocaleTimeString()}</td>
                    <td>{attempt.durationMs} ms</td>
                    <td>{attempt.statusCode ?? '—'}</td>
                    <td>{attempt.error ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {delivery.status === 'failed' && (
            <button type="button" onClick={() => resend(delivery)}>
              Resend callback {delivery.deliveryId}
            </button>
          )}
        </article>
      ))}
    </>
  );
}
