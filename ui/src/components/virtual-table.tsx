/**
 * A virtualised grid: only the rows in view (plus a margin) are in the DOM, so 100,000 rows
 * scroll as smoothly as 100. Rows have one fixed height. More rows are asked for (`onNeedMore`)
 * when the view nears the end of what is loaded — server-side paging.
 *
 * Keyboard (WAI-ARIA grid pattern, row focus): ↑/↓, Page Up/Down, Home/End move the active row;
 * Enter opens it; Space toggles its selection. Sortable headers are buttons announcing `aria-sort`.
 */
import { type KeyboardEvent, type ReactNode, type UIEvent, useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from "react";

export interface Column<R> {
  id: string;
  header: ReactNode;
  /** Width in px (the least width when `grow` is set). */
  width: number;
  /** Share of the spare width this column takes (as CSS `fr`); default 0: fixed. */
  grow?: number;
  cell: (row: R, index: number) => ReactNode;
  /** Current sort on this column. */
  sort?: "asc" | "desc" | null;
  /** Present when the column can be sorted (server-side). */
  onSort?: () => void;
  align?: "right";
  /** Full header text for the tooltip (long metric names are cut). */
  title?: string;
}

export interface VirtualTableProps<R> {
  rows: readonly R[];
  columns: readonly Column<R>[];
  rowKey: (row: R) => string;
  label: string;
  /** More rows exist on the server. */
  hasMore?: boolean;
  onNeedMore?: () => void;
  onOpen?: (row: R, index: number) => void;
  onToggle?: (row: R, index: number) => void;
  isSelected?: (row: R) => boolean;
  rowHeight?: number;
  /** Height of the scrolling area in px at most (it shrinks to fit fewer rows). */
  height?: number;
  /** Called once, when the first rows are on screen. */
  onFirstRows?: () => void;
}

const OVERSCAN = 8;

export function VirtualTable<R>({ rows, columns, rowKey, label, hasMore, onNeedMore, onOpen, onToggle, isSelected, rowHeight = 34, height: maxHeight = 560, onFirstRows }: VirtualTableProps<R>) {
  // room for a scrollbar below the rows; never less than a few rows
  const height = hasMore ? maxHeight : Math.min(maxHeight, Math.max(4, rows.length + 1) * rowHeight + 18);
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [active, setActive] = useState(0);
  const frame = useRef(0);
  const id = useId();
  // tracks that do not depend on content, and one definite width for the header and every row,
  // so all rows (each its own grid) line up exactly
  const template = columns.map((c) => (c.grow ? `minmax(${c.width}px, ${c.grow}fr)` : `${c.width}px`)).join(" ");
  const width = `max(100%, ${columns.reduce((a, c) => a + c.width, 0)}px)`;
  const bodyHeight = height - rowHeight;

  const onScroll = useCallback((e: UIEvent<HTMLDivElement>) => {
    const top = e.currentTarget.scrollTop;
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => setScrollTop(top));
  }, []);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + bodyHeight) / rowHeight) + OVERSCAN);

  useEffect(() => {
    if (hasMore && onNeedMore && last >= rows.length - OVERSCAN * 4) onNeedMore();
  }, [hasMore, onNeedMore, last, rows.length]);

  const firstRows = useRef(onFirstRows);
  firstRows.current = onFirstRows;
  const reported = useRef(false);
  useLayoutEffect(() => {
    if (!reported.current && rows.length > 0) {
      reported.current = true;
      firstRows.current?.();
    }
  }, [rows.length]);

  useEffect(() => {
    if (active >= rows.length && rows.length > 0) setActive(rows.length - 1);
  }, [rows.length, active]);

  const reveal = (i: number) => {
    const s = scroller.current;
    if (!s) return;
    const top = i * rowHeight;
    if (top < s.scrollTop) s.scrollTop = top;
    else if (top + rowHeight > s.scrollTop + bodyHeight) s.scrollTop = top + rowHeight - bodyHeight;
  };

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (rows.length === 0) return;
    const page = Math.max(1, Math.floor(bodyHeight / rowHeight) - 1);
    let next = active;
    switch (e.key) {
      case "ArrowDown":
        next = active + 1;
        break;
      case "ArrowUp":
        next = active - 1;
        break;
      case "PageDown":
        next = active + page;
        break;
      case "PageUp":
        next = active - page;
        break;
      case "Home":
        next = 0;
        break;
      case "End":
        next = rows.length - 1;
        break;
      case "Enter":
        e.preventDefault();
        onOpen?.(rows[active], active);
        return;
      case " ":
        e.preventDefault();
        onToggle?.(rows[active], active);
        return;
      default:
        return;
    }
    e.preventDefault();
    next = Math.max(0, Math.min(rows.length - 1, next));
    setActive(next);
    reveal(next);
  };

  const visible = [];
  for (let i = first; i < last; i++) {
    const r = rows[i];
    const selected = isSelected?.(r) ?? false;
    visible.push(
      <div
        key={rowKey(r)}
        id={`${id}-r${i}`}
        role="row"
        aria-rowindex={i + 2}
        aria-selected={onToggle ? selected : undefined}
        className={`vt-row${i === active ? " active" : ""}${selected ? " selected" : ""}`}
        style={{ transform: `translateY(${i * rowHeight}px)`, height: rowHeight, gridTemplateColumns: template, width }}
        onClick={() => setActive(i)}
        onDoubleClick={() => onOpen?.(r, i)}
      >
        {columns.map((c) => (
          <div key={c.id} role="gridcell" className={c.align === "right" ? "num" : undefined}>
            {c.cell(r, i)}
          </div>
        ))}
      </div>,
    );
  }

  return (
    <div
      className="vt"
      role="grid"
      aria-label={label}
      aria-rowcount={hasMore ? -1 : rows.length + 1}
      aria-colcount={columns.length}
      aria-activedescendant={rows.length ? `${id}-r${active}` : undefined}
      tabIndex={0}
      onKeyDown={onKey}
    >
      <div ref={scroller} role="presentation" className="vt-scroll" style={{ height }} onScroll={onScroll}>
        <div role="row" aria-rowindex={1} className="vt-head" style={{ gridTemplateColumns: template, height: rowHeight, width }}>
          {columns.map((c) => (
            <div key={c.id} role="columnheader" aria-sort={c.sort === "asc" ? "ascending" : c.sort === "desc" ? "descending" : c.onSort ? "none" : undefined} className={c.align === "right" ? "num" : undefined} title={c.title}>
              {c.onSort ? (
                <button type="button" className="sort" onClick={c.onSort}>
                  {c.header}
                  <span aria-hidden="true">{c.sort === "asc" ? " ▲" : c.sort === "desc" ? " ▼" : ""}</span>
                </button>
              ) : (
                c.header
              )}
            </div>
          ))}
        </div>
        <div role="rowgroup" className="vt-body" style={{ height: rows.length * rowHeight, width }}>
          {visible}
        </div>
      </div>
    </div>
  );
}
