const width = 240;
const height = 48;

/**
 * A small column chart of the last hour's samples, oldest on the left, inline SVG. Screen readers
 * get its title, the latest value and the highest.
 */
export function SparkChart({ title, unit, values }: { title: string; unit: string; values: (number | undefined)[] }) {
  const known = values.filter((value): value is number => value !== undefined);
  const top = Math.max(1, ...known);
  const step = width / Math.max(values.length, 1);
  const latest = values.at(-1);
  const summary = `${title}, last hour: now ${latest ?? 'none'}${latest === undefined ? '' : ` ${unit}`}, highest ${Math.max(0, ...known)} ${unit}`;
  return (
    <figure class="chart">
      <figcaption>
        {title} <span class="chart-now">{latest === undefined ? '—' : `${latest} ${unit}`}</span>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary}>
        <line x1={0} y1={height - 0.5} x2={width} y2={height - 0.5} class="chart-axis" />
        {values.map((value, index) =>
          value === undefined ? null : (
            <rect
              key={index}
              x={index * step + 1}
              y={height - (value / top) * (height - 2) - 1}
              width={step - 2}
              height={(value / top) * (height - 2)}
              class="spark"
            />
          ),
        )}
      </svg>
    </figure>
  );
}
