/**
 * `text/csv` request bodies (RFC 4180): a header row of column names, then one line per row;
 * fields separated by commas, quoted with `"` when they hold commas, quotes (doubled) or line
 * breaks; CRLF or LF line ends. Cells go straight into a `RowWriter` as text, typed by the
 * model's signature (an empty cell is missing).
 */
import { show } from "../../core/index.js";
import type { Frame } from "../../data/index.js";
import { InputError, type InputSchema } from "../input-schema.js";

/** Split CSV text into records of fields. Throws a 400 on an unterminated quote. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    let field: string;
    if (text[i] === '"') {
      let j = i + 1;
      let out = "";
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) throw new InputError(`CSV body: a quoted field opened on line ${rows.length + 1} is never closed`, null, { path: "body", expected: "RFC 4180 CSV" });
        out += text.slice(j, q);
        if (text[q + 1] === '"') {
          out += '"';
          j = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      field = out;
    } else {
      let j = i;
      while (j < n && text[j] !== "," && text[j] !== "\n" && text[j] !== "\r") j++;
      field = text.slice(i, j);
      i = j;
    }
    row.push(field);
    if (i >= n) break;
    const c = text[i];
    if (c === ",") {
      i++;
      if (i >= n) row.push("");
      continue;
    }
    if (c === "\r" || c === "\n") {
      i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
      rows.push(row);
      row = [];
      continue;
    }
    throw new InputError(`CSV body line ${rows.length + 1}: unexpected ${show(c)} after a quoted field`, null, { path: "body", expected: "a comma or a line end after a closing quote" });
  }
  if (row.length > 0) rows.push(row);
  return rows.filter((r) => !(r.length === 1 && r[0] === ""));
}

/** A CSV body as the model's input frame: header names the columns; extra columns are ignored. */
export function csvFrame(schema: InputSchema, text: string): Frame {
  const rows = parseCsv(text);
  if (rows.length === 0) throw new InputError("CSV body is empty: expected a header row of column names, then the rows", null, { path: "body", expected: "a header row" });
  const header = rows[0];
  const w = schema.writer(rows.length - 1);
  const slots = header.map((name) => schema.slotOf(name.trim()));
  for (const s of slots) if (s >= 0) w.present(s);
  for (let r = 1; r < rows.length; r++) {
    const line = rows[r];
    if (line.length !== header.length) throw new InputError(`CSV body row ${r - 1} has ${line.length} fields, the header ${header.length}`, null, { path: `body[${r - 1}]`, expected: `${header.length} fields`, received: line.length });
    for (let c = 0; c < slots.length; c++) if (slots[c] >= 0) w.set(slots[c], r - 1, line[c], true);
  }
  return w.frame();
}
