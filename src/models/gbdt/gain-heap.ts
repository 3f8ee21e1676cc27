/**
 * The open leaves of a growing tree, best gain first — with exactly the push and pop steps of
 * Python's `heapq` (a binary min-heap on "gain greater"), as scikit-learn's grower uses them, so
 * that among leaves of equal gain the same one is split next as in scikit-learn. That order is an
 * arbitrary but fixed tie-break: it depends only on the sequence of pushes and pops.
 */
export class GainHeap<T extends { gain: number }> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  /** `heapq.heappush`: append, then sift towards the root. */
  push(item: T): void {
    this.items.push(item);
    this.siftDown(0, this.items.length - 1);
  }

  /** `heapq.heappop`: the best item; the last one takes its place and sifts down. */
  pop(): T {
    const heap = this.items;
    const last = heap.pop()!;
    if (heap.length === 0) return last;
    const top = heap[0];
    heap[0] = last;
    this.siftUp(0);
    return top;
  }

  /** Remove and return every item (in storage order). */
  drain(): T[] {
    return this.items.splice(0);
  }

  private siftDown(start: number, pos: number): void {
    const heap = this.items;
    const item = heap[pos];
    while (pos > start) {
      const parent = (pos - 1) >> 1;
      if (item.gain > heap[parent].gain) {
        heap[pos] = heap[parent];
        pos = parent;
      } else break;
    }
    heap[pos] = item;
  }

  private siftUp(pos: number): void {
    const heap = this.items;
    const end = heap.length;
    const start = pos;
    const item = heap[pos];
    let child = 2 * pos + 1;
    while (child < end) {
      const right = child + 1;
      if (right < end && !(heap[child].gain > heap[right].gain)) child = right;
      heap[pos] = heap[child];
      pos = child;
      child = 2 * pos + 1;
    }
    heap[pos] = item;
    this.siftDown(start, pos);
  }
}
