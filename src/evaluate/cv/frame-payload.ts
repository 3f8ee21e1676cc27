/**
 * A Frame sent to worker threads without copying it per task: numeric, datetime, boolean and
 * categorical-code arrays are copied once into SharedArrayBuffers, which structured cloning
 * shares instead of copying; dictionaries and text travel as plain arrays.
 */
import { type Column, type ColumnKind, Frame } from "../../data/index.js";

export interface ColumnPayload {
  name: string;
  kind: ColumnKind;
  /** Float64Array (numeric, datetime), Int32Array (categorical codes) or Uint8Array (boolean), on shared memory. */
  data?: Float64Array | Int32Array | Uint8Array;
  categories?: string[];
  text?: (string | null)[];
}

export interface FramePayload {
  nRows: number;
  columns: ColumnPayload[];
}

function shared<T extends Float64Array | Int32Array | Uint8Array>(a: T): T {
  const C = a.constructor as { new (buf: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };
  const out = new C(new SharedArrayBuffer(a.length * C.BYTES_PER_ELEMENT));
  out.set(a as never);
  return out;
}

export function framePayload(frame: Frame): FramePayload {
  const columns: ColumnPayload[] = [];
  for (const [name, c] of frame.entries()) {
    switch (c.kind) {
      case "numeric":
      case "datetime":
      case "boolean":
        columns.push({ name, kind: c.kind, data: shared(c.values) });
        break;
      case "categorical":
        columns.push({ name, kind: c.kind, data: shared(c.codes), categories: [...c.categories] });
        break;
      case "text":
        columns.push({ name, kind: c.kind, text: [...c.values] });
        break;
    }
  }
  return { nRows: frame.nRows, columns };
}

export function frameFromPayload(p: FramePayload): Frame {
  const cols = new Map<string, Column>();
  for (const c of p.columns) {
    switch (c.kind) {
      case "numeric":
      case "datetime":
        cols.set(c.name, { kind: c.kind, values: c.data as Float64Array });
        break;
      case "boolean":
        cols.set(c.name, { kind: "boolean", values: c.data as Uint8Array });
        break;
      case "categorical":
        cols.set(c.name, { kind: "categorical", codes: c.data as Int32Array, categories: c.categories ?? [] });
        break;
      case "text":
        cols.set(c.name, { kind: "text", values: c.text ?? [] });
        break;
    }
  }
  return Frame.fromColumns(cols, p.nRows);
}
