import { html, nothing, type TemplateResult } from 'lit';

export interface TileOptions {
  /** The figure needs attention (e.g. slow consumers, API errors): `.warn`, a warning colour. */
  warn?: boolean;
}

/**
 * One figure of an overview widget (varz, jsz, subsz): a `part="tile"` div inside the card's
 * `<dl>`, with the label as `<dt>` and the value (`.value`), then `detail` (small `.rate`/`.sub`
 * lines, a sparkline, a bar) as `<dd>`. Styles: `tileStyles()` of src/styles/tiles.ts. `label`,
 * `value` and `detail` are Lit text bindings or templates, never markup strings.
 */
export function tile(label: string, value: string, detail?: TemplateResult | string, { warn = false }: TileOptions = {}): TemplateResult {
  return html`<div class=${warn ? 'tile warn' : 'tile'} part="tile">
    <dt>${label}</dt>
    <dd><span class="value">${value}</span> ${detail ?? nothing}</dd>
  </div>`;
}
