import type { AdminService } from '@autofacilitate/client';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { admin, problemOf } from '../api';
import { useLiveEvents } from '../live-events';
import { BarChart } from './bar-chart';
import { SparkChart } from './spark-chart';

const percent = (rate: number | undefined) => (rate === undefined ? 'none finished' : `${Math.round(rate * 100)}%`);

/**
 * The organisation's services: their queue now, and their last hour (queue depth, throughput,
 * latency, outcomes) as small charts.
 */
export function ServicesPage({ orgId }: { orgId: string }) {
  const [services, setServices] = useState<AdminService[]>([]);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const reload = useCallback(async () => {
    try {
      setServices((await admin.listAdminServices({ orgId })).services);
      setProblem(undefined);
    } catch (error) {
      setProblem(await problemOf(error));
    }
  }, [orgId]);
  useEffect(() => void reload(), [reload]);
  useLiveEvents(orgId, reload);

  return (
    <section aria-labelledby="services-heading">
      <h1 id="services-heading">Services</h1>
      {problem && (
        <p role="alert" class="problem">
          {problem}
        </p>
      )}
      <div class="services">
        {services.map((service) => {
          const { succeeded, failed, timedOut, successRate } = service.lastHour;
          const series = service.lastHourSeries ?? [];
          return (
            <article key={service.vsn} class="service" aria-labelledby={`service-${service.vsn}`}>
              <h2 id={`service-${service.vsn}`}>{service.vsn}</h2>
              <p>
                {service.kind} · concurrency {service.concurrency} · timeout {service.timeoutMs} ms · success{' '}
                {percent(successRate)}
              </p>
              <BarChart
                title="Queue now"
                max={service.concurrency}
                bars={[
                  { label: 'queued', value: service.queued, tone: 'queued' },
                  { label: 'running', value: service.running, tone: 'running' },
                ]}
              />
              <SparkChart title="Queue depth" unit="queued" values={series.map((sample) => sample.queued)} />
              <SparkChart title="Throughput" unit="per 5 min" values={series.map((sample) => sample.finished)} />
              <SparkChart title="Latency" unit="ms" values={series.map((sample) => sample.latencyMs)} />
              <BarChart
                title="Finished in the last hour"
                bars={[
                  { label: 'succeeded', value: succeeded, tone: 'succeeded' },
                  { label: 'failed', value: failed, tone: 'failed' },
                  { label: 'timed out', value: timedOut, tone: 'timed_out' },
                ]}
              />
            </article>
          );
        })}
      </div>
    </section>
  );
}
