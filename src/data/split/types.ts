/**
 * Shapes shared by the splitters: a split is two sorted index arrays into the rows of a frame.
 */

/** One train/validation split: row indices (`Int32Array`), each sorted ascending unless a splitter says otherwise. */
export interface Split {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/** Labels or groups for a splitter: class codes, numbers, strings, or a column's values. */
export type LabelInput =
  | Int32Array
  | Float64Array
  | Uint8Array
  | readonly number[]
  | readonly string[]
  | { readonly kind: string };
