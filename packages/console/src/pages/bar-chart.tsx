/** One bar of a {@link BarChart}. */
export interface Bar {
  label: string;
  value: number;
  /** A class of the stylesheet that colours it. */
  tone: string;
}

const width = 240;
const barHeight = 16;
const gap = 6;
const labelWidth = 80;

/**
 * A small horizontal bar chart, inline SVG: no script draws it and no other host serves it. Screen
 * readers get its title and the values as text.
 */
export function BarChart({ title, bars, max }: { title: string; bars: Bar[]; max?: number }) {
  const top = Math.max(max ?? 0, ...bars.map((bar) => bar.value), 1);
  const height = bars.length * (barHeight + gap);
  const summary = bars.map((bar) => `${bar.label} ${bar.value}`).join(', ');
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width + labelWidth + 40} ${height}`} role="img" aria-label={`${title}: ${summary}`}>
        {bars.map((bar, index) => {
          const y = index * (barHeight + gap);
          return (
            <g key={bar.label}>
              <text x={0} y={y + barHeight - 4} class="chart-label">
                {bar.label}
              </text>
              <rect x={labelWidth} y={y} width={(bar.value / top) * width} height={barHeight} class={bar.tone} />
              <text x={labelWidth + (bar.value / top) * width + 4} y={y + barHeight - 4} class="chart-label">
                {bar.value}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
