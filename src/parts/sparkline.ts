import { svg, type TemplateResult } from 'lit';

/**
 * A tiny SVG line of recent values. Decorative: the number next to it carries the meaning, so the
 * SVG is hidden from assistive technology. Its colour is CSS (`tileStyles()` of src/styles/tiles.ts:
 * `--nunect-sparkline-color`, else the accent token).
 */
export function sparkline(values: readonly number[], width = 120, height = 28): TemplateResult {
  if (values.length < 2) return svg`<svg part="sparkline" width=${width} height=${height} aria-hidden="true"></svg>`;
  const max = Math.max(...values, 1e-9);
  const step = width / (values.length - 1);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`).join(' ');
  return svg`<svg part="sparkline" width=${width} height=${height} viewBox="0 0 ${width} ${height}" aria-hidden="true">
    <polyline points=${points} fill="none" stroke-width="1.5" />
  </svg>`;
}
