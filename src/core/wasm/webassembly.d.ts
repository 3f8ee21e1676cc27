/**
 * The part of the WebAssembly JavaScript API (https://webassembly.github.io/spec/js-api/) Keel
 * uses: Node has it as a global, but `@types/node` does not declare it and the DOM library would
 * bring the whole browser along.
 */
declare namespace WebAssembly {
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }
  class Memory {
    constructor(descriptor: MemoryDescriptor);
    readonly buffer: ArrayBuffer | SharedArrayBuffer;
    grow(delta: number): number;
  }
  class Module {
    constructor(bytes: BufferSource);
  }
  type ExportValue = Function | Memory;
  type Imports = Record<string, Record<string, ExportValue | number>>;
  class Instance {
    constructor(module: Module, imports?: Imports);
    readonly exports: Record<string, ExportValue>;
  }
  function validate(bytes: BufferSource): boolean;
}
