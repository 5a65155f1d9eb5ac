import { esc } from './html.ts';

export interface Column {
  label: string;
  /** Right-aligned tabular figures on a wide screen. */
  num?: boolean;
  /** The cell that heads the row's card on a phone (shown without its label). */
  title?: boolean;
}

export interface Row {
  /** HTML, already escaped by the caller. */
  cells: string[];
  /** Extra attributes for the <tr>, e.g. `class="overdue" data-status="overdue"`. */
  attrs?: string;
}

/**
 * A data table that becomes one card per row on a phone (layout.ts, `table.cards`): every cell carries its column's
 * name in `data-label`, which the narrow layout prints before the value, so nothing needs sideways scrolling.
 * `compact` cards put the fields after the title on one wrapped line (long lists such as visits stay short);
 * `keepTable` keeps a table whose few short columns fit a phone as they are.
 */
export function dataTable(
  columns: Column[],
  rows: Row[],
  opts: { caption?: string; className?: string; compact?: boolean; keepTable?: boolean } = {},
): string {
  const cls = (c: Column) => [c.num ? 'num' : '', c.title ? 'card-title' : ''].filter(Boolean).join(' ');
  const head = columns.map((c) => `<th scope="col"${c.num ? ' class="num"' : ''}>${esc(c.label)}</th>`).join('');
  const body = rows
    .map((r) => {
      const cells = r.cells.map((cell, i) => {
        const c = columns[i];
        // One child per cell, so the card's label/value grid never splits a value made of several elements.
        return `<td data-label="${esc(c.label)}"${cls(c) ? ` class="${cls(c)}"` : ''}><span>${cell}</span></td>`;
      });
      return `<tr${r.attrs ? ` ${r.attrs}` : ''}>${cells.join('')}</tr>`;
    })
    .join('\n');
  const caption = opts.caption ? `<caption class="muted small">${opts.caption}</caption>` : '';
  // compact: the fields after the title run on as one wrapped line; keepTable: few short columns that fit a phone as a table.
  const classes = [opts.keepTable ? '' : 'cards', opts.compact ? 'compact' : '', opts.className ?? ''].filter(Boolean).join(' ');
  return `<table${classes ? ` class="${classes}"` : ''}>${caption}<thead><tr>${head}</tr></thead>\n<tbody>${body}</tbody></table>`;
}
