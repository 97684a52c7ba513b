import { html, nothing, type ComplexAttributeConverter, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';

/** What the chooser needs of a column. */
export interface ChooserColumn {
  id: string;
  label: string;
  /** Tooltip of its checkbox. */
  title?: string;
  /** Always shown (the identity column): checked and disabled in the chooser. */
  fixed?: boolean;
}

/**
 * The known optional column ids of a list, in table order; undefined if it is no list of strings,
 * or names columns and none of them is known (garbage, or another version's ids).
 */
export function knownColumns(columns: readonly ChooserColumn[], value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length > 4 * columns.length || !value.every((v) => typeof v === 'string')) return undefined;
  const want = new Set(value);
  const known = columns.filter((c) => !c.fixed && want.has(c.id)).map((c) => c.id);
  const fixed = columns.some((c) => c.fixed && want.has(c.id));
  return known.length || value.length === 0 || fixed ? known : undefined;
}

/** The attribute of a `columns` property: `columns="cid subs bytes_in"` (spaces or commas) or a JSON list. */
export function columnsConverter(columns: readonly ChooserColumn[]): ComplexAttributeConverter<string[] | undefined> {
  return {
    fromAttribute(value) {
      if (value === null) return undefined;
      if (value.trim().startsWith('[')) {
        try {
          return knownColumns(columns, JSON.parse(value));
        } catch {
          return undefined;
        }
      }
      return value.split(/[\s,]+/).filter(Boolean);
    },
  };
}

/** The default storage key of a widget's choice: one per page. */
export function pageStorageKey(widget: string): string {
  return `nunect-${widget}-columns:${globalThis.location?.pathname ?? ''}`;
}

export interface ColumnChooserOptions<C extends ChooserColumn> {
  /** Every column, in table order. */
  columns: readonly C[];
  /** The optional columns shown until a user or the page chooses. */
  defaults: readonly string[];
  /** The host's `columns` property: a set value wins over the remembered choice. */
  value: () => readonly string[] | undefined;
  /** A choice made in the chooser: set the host's `columns` property to it. */
  set: (ids: string[]) => void;
  /** The `localStorage` key the choice is remembered under (only a JSON list of ids is stored). */
  storageKey: () => string;
  /** The id of the chooser's panel (unique within the shadow root; default `columns-menu`). */
  id?: string;
}

/**
 * Which columns a table shows, chosen by the user: a "Columns" button (`part="columns-button"`)
 * opens a panel of checkboxes (`part="columns-menu"`, Escape closes it and gives the focus back).
 * The choice is the host's `columns` property when set, else the one remembered in `localStorage`
 * under `storageKey()` (read again when the key changes; garbage and unavailable storage mean the
 * defaults), else `defaults`; a choice made in the panel is set and remembered. Styles:
 * `columnChooserStyles(widget)` of src/styles/column-chooser.ts.
 */
export class ColumnChooserController<C extends ChooserColumn> implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement & { renderRoot: HTMLElement | DocumentFragment };
  readonly #options: ColumnChooserOptions<C>;
  #open = false;
  #storedKey?: string;
  #stored?: string[];
  /** The last `visible()` answer and what it was computed from. */
  #memo?: { applicable: readonly C[]; chosen: readonly string[]; result: C[] };

  constructor(host: ReactiveControllerHost & HTMLElement & { renderRoot: HTMLElement | DocumentFragment }, options: ColumnChooserOptions<C>) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** The panel is open. */
  get open(): boolean {
    return this.#open;
  }

  set open(open: boolean) {
    if (open === this.#open) return;
    this.#open = open;
    this.#host.requestUpdate();
  }

  hostUpdate(): void {
    this.#readStorage();
  }

  #readStorage(): void {
    const key = this.#options.storageKey();
    if (key === this.#storedKey) return;
    this.#storedKey = key;
    this.#stored = readList(key, (v) => knownColumns(this.#options.columns, v));
  }

  /** The chosen optional column ids, in table order: the property, else the remembered choice, else the defaults. */
  chosen(): readonly string[] {
    this.#readStorage();
    const value = this.#options.value();
    return (value && knownColumns(this.#options.columns, value)) ?? this.#stored ?? this.#options.defaults;
  }

  /** Of the columns that apply now, the ones shown, in order: the fixed ones and the chosen ones. The same array while nothing changes. */
  visible(applicable: readonly C[]): C[] {
    const chosen = this.chosen();
    const m = this.#memo;
    if (m && m.applicable === applicable && sameList(m.chosen, chosen)) return m.result;
    const want = new Set(chosen);
    const result = applicable.filter((c) => c.fixed || want.has(c.id));
    this.#memo = { applicable, chosen, result };
    return result;
  }

  /** Shows exactly these optional columns (a choice: set on the host and remembered). */
  choose(ids: Iterable<string>): void {
    const want = new Set(ids);
    const list = this.#options.columns.filter((c) => !c.fixed && want.has(c.id)).map((c) => c.id);
    this.#stored = list;
    writeList(this.#options.storageKey(), list);
    this.#options.set(list);
  }

  /** Shows one more column (e.g. the one a sort chosen elsewhere applies to). */
  show(id: string): void {
    const column = this.#options.columns.find((c) => c.id === id);
    const chosen = this.chosen();
    if (column && !column.fixed && !chosen.includes(id)) this.choose([...chosen, id]);
  }

  get #menuId(): string {
    return this.#options.id ?? 'columns-menu';
  }

  /** The "Columns" button that opens and closes the panel. */
  renderButton(): TemplateResult {
    return html`<button
      type="button"
      class="columns-button"
      part="columns-button"
      aria-expanded=${this.#open ? 'true' : 'false'}
      aria-controls=${this.#menuId}
      @click=${this.#onButton}
    >
      <span aria-hidden="true">+/− </span>Columns
    </button>`;
  }

  /** The panel: a checkbox per column that applies now (fixed ones checked and disabled), "Show all" and "Defaults". */
  renderMenu(applicable: readonly C[]): TemplateResult {
    const chosen = new Set(this.chosen());
    return html`<fieldset id=${this.#menuId} class="columns-menu" part="columns-menu" ?hidden=${!this.#open} @keydown=${this.#onKeydown}>
      <legend>Columns shown</legend>
      <div class="columns-list">
        ${applicable.map(
          (col) =>
            html`<label title=${col.title ?? nothing}
              ><input type="checkbox" value=${col.id} .checked=${!!col.fixed || chosen.has(col.id)} ?disabled=${!!col.fixed} @change=${this.#onToggle} />
              ${col.label}${col.fixed ? html` <span class="muted">(always)</span>` : nothing}</label
            >`,
        )}
      </div>
      <div class="columns-actions">
        <button type="button" @click=${this.#onAll}>Show all</button>
        <button type="button" @click=${this.#onDefaults}>Defaults</button>
      </div>
    </fieldset>`;
  }

  #onButton = () => {
    this.open = !this.#open;
  };

  #onKeydown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    this.open = false;
    this.#host.renderRoot.querySelector<HTMLButtonElement>(`button[aria-controls="${this.#menuId}"]`)?.focus();
  };

  #onToggle = (e: Event) => {
    const input = e.target as HTMLInputElement;
    const chosen = new Set(this.chosen());
    if (input.checked) chosen.add(input.value);
    else chosen.delete(input.value);
    this.choose(chosen);
  };

  #onAll = () => {
    this.choose(this.#options.columns.map((c) => c.id));
  };

  #onDefaults = () => {
    this.choose(this.#options.defaults);
  };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((v, i) => v === b[i]));
}

/** A remembered list (JSON), or undefined: none, unreadable, too long or garbage. */
function readList(key: string, check: (value: unknown) => string[] | undefined): string[] | undefined {
  try {
    const raw = globalThis.localStorage?.getItem(key);
    if (!raw || raw.length > 4096) return undefined;
    return check(JSON.parse(raw));
  } catch {
    return undefined;
  }
}

function writeList(key: string, ids: readonly string[]): void {
  try {
    globalThis.localStorage?.setItem(key, JSON.stringify(ids));
  } catch {
    // Storage unavailable or full: the choice lasts as long as the element.
  }
}
