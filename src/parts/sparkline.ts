import { svg, nothing, type TemplateResult } from 'lit';

export interface SparklineOptions {
  width?: number;
  height?: number;
  /**
   * What the line shows ("messages in per second, last hour"): the SVG's accessible name and its
   * tooltip (`<title>`). Without it the SVG is decorative and hidden from assistive technology.
   */
  label?: string;
}

/**
 * A tiny SVG line of recent values, evenly spaced, oldest first. An `undefined` value is a gap (no
 * data for that slot): the line breaks there, and a lone value between gaps is a dot. The number
 * next to it carries the meaning; with a `label` the SVG says what it shows. Its colour is CSS
 * (`tileStyles()` of src/styles/tiles.ts: `--nunect-sparkline-color`, else the accent token).
 */
export function sparkline(values: readonly (number | undefined)[], o: SparklineOptions = {}): TemplateResult {
  const width = o.width ?? 120;
  const height = o.height ?? 28;
  const a11y = o.label
    ? { role: 'img', label: o.label, hidden: undefined, title: svg`<title>${o.label}</title>` }
    : { role: undefined, label: undefined, hidden: 'true', title: nothing };
  const defined = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (values.length < 2 || defined.length === 0) {
    return svg`<svg part="sparkline" width=${width} height=${height} role=${a11y.role ?? nothing} aria-label=${a11y.label ?? nothing} aria-hidden=${a11y.hidden ?? nothing}>${a11y.title}</svg>`;
  }
  const max = Math.max(...defined, 1e-9);
  const step = width / (values.length - 1);
  const y = (v: number) => (height - 2 - (v / max) * (height - 4)).toFixed(1);
  // Runs of consecutive values; a run of one is drawn as a short dash so it shows.
  const runs: string[] = [];
  let run: string[] = [];
  const close = () => {
    if (run.length === 1) {
      const [x, yy] = run[0]!.split(',').map(Number) as [number, number];
      run = [`${Math.max(0, x - 1).toFixed(1)},${yy.toFixed(1)}`, `${Math.min(width, x + 1).toFixed(1)},${yy.toFixed(1)}`];
    }
    if (run.length) runs.push(run.join(' '));
    run = [];
  };
  values.forEach((v, i) => {
    if (v === undefined || !Number.isFinite(v)) return close();
    run.push(`${(i * step).toFixed(1)},${y(v)}`);
  });
  close();
  return svg`<svg part="sparkline" width=${width} height=${height} viewBox="0 0 ${width} ${height}" role=${a11y.role ?? nothing} aria-label=${a11y.label ?? nothing} aria-hidden=${a11y.hidden ?? nothing}>
    ${a11y.title}${runs.map((points) => svg`<polyline points=${points} fill="none" stroke-width="1.5" />`)}
  </svg>`;
}
