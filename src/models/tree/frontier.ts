/**
 * The frontier of best-first growth: a binary max-heap on a record's impurity improvement, with
 * the sift rules of the C++ standard library's `push_heap` / `pop_heap` (libstdc++), which
 * scikit-learn's best-first builder uses. Equal improvements therefore leave the heap in the same
 * order as scikit-learn's, and trees grown with `maxLeafNodes` expand the same nodes.
 */
export class Frontier<T extends { improvement: number }> {
  private readonly heap: T[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(item: T): void {
    const h = this.heap;
    h.push(item);
    this.siftUp(h.length - 1, 0, item);
  }

  /** Remove and return the record with the largest improvement. */
  pop(): T {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) this.adjust(0, h.length, last);
    return top;
  }

  /** libstdc++ `__push_heap`: move `value` up from `hole` while its parent is smaller. */
  private siftUp(hole: number, top: number, value: T): void {
    const h = this.heap;
    let parent = (hole - 1) >> 1;
    while (hole > top && h[parent].improvement < value.improvement) {
      h[hole] = h[parent];
      hole = parent;
      parent = (hole - 1) >> 1;
    }
    h[hole] = value;
  }

  /** libstdc++ `__adjust_heap`: sink the hole at `hole` to a leaf, then sift `value` up. */
  private adjust(hole: number, len: number, value: T): void {
    const h = this.heap;
    const top = hole;
    let child = hole;
    while (child < (len - 1) >> 1) {
      child = 2 * (child + 1);
      if (h[child].improvement < h[child - 1].improvement) child--;
      h[hole] = h[child];
      hole = child;
    }
    if ((len & 1) === 0 && child === (len - 2) >> 1) {
      child = 2 * (child + 1);
      h[hole] = h[child - 1];
      hole = child - 1;
    }
    this.siftUp(hole, top, value);
  }
}
