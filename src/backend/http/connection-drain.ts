/**
 * Draining an HTTP server on close without cutting a response short — `keel serve`'s and
 * `keel server`'s (with or without `--serve`) alike.
 *
 * `server.close()` in Node calls `closeIdleConnections()`, which destroys every connection whose
 * request was fully read and whose response was *ended* — even when that response's bytes are
 * still queued on the socket (a large prediction to a client reading slowly): the client gets a
 * truncated body and the process exits 0 as if all went well. That is what made the SIGTERM drain
 * fail about half the time: whether `close()` ran before or after the in-flight response was
 * ended decided the outcome.
 *
 * Here the server tracks its own connections instead and, once closing:
 * - a connection with a response still being produced keeps going; the response is marked
 *   `Connection: close` when its head is not sent yet, and the connection is ended after it;
 * - a connection whose request is still arriving (bytes read since its last response, counting
 *   what reaches the process in the event-loop turn after closing starts) is left to finish: the
 *   framework answers it 503 with `Connection: close`;
 * - every other connection is ended once its queued bytes are written out (never destroyed with
 *   data pending);
 * - after `timeoutMs` whatever is left is destroyed, so a stuck client cannot hold the process.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";

interface Connection {
  readonly socket: Socket;
  readonly drain: ConnectionDrain;
  /** Responses started on this connection and not closed yet. */
  responses: Set<ServerResponse>;
  /** `socket.bytesRead` when the connection last had no request in progress. */
  readWhenIdle: number;
}

const CONNECTION = Symbol("keel.connection");
type Tracked = ServerResponse & { [CONNECTION]?: Connection };

function responseClosed(this: ServerResponse): void {
  const c = (this as Tracked)[CONNECTION];
  if (c) c.drain.closed(c, this);
}

/** End a socket once everything queued on it is written (at once when nothing is). */
function endWhenWritten(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.writableFinished) {
    socket.destroy();
    return;
  }
  socket.once("finish", () => socket.destroy());
  if (socket.writable) socket.end();
}

/**
 * Graceful close for one HTTP server (see the module comment); install before it listens.
 * @example
 * ```ts
 * const drain = new ConnectionDrain(server, 10_000);
 * ```
 */
export class ConnectionDrain {
  private readonly connections = new Map<Socket, Connection>();
  private draining = false;
  private deadline: NodeJS.Timeout | null = null;

  /**
   * @param timeoutMs after closing starts, connections still open after this long are destroyed
   *   (default 30 s, Kubernetes' default grace period before it kills the pod).
   */
  constructor(
    private readonly server: Server,
    readonly timeoutMs = 30_000,
  ) {
    server.on("connection", (socket: Socket) => {
      this.connections.set(socket, { socket, drain: this, responses: new Set(), readWhenIdle: 0 });
      socket.once("close", () => this.connections.delete(socket));
    });
    server.on("request", (request: IncomingMessage, response: ServerResponse) => this.track(request.socket as Socket, response));
    // what `server.close()` calls: replace Node's version, which destroys connections with bytes still queued
    server.closeIdleConnections = () => this.closeIdle();
    server.once("close", () => {
      if (this.deadline) clearTimeout(this.deadline);
      this.deadline = null;
    });
  }

  /** How many connections are open. */
  get open(): number {
    return this.connections.size;
  }

  private track(socket: Socket, response: ServerResponse): void {
    const c = this.connections.get(socket);
    if (!c) return;
    c.responses.add(response);
    if (this.draining && !response.headersSent) response.setHeader("connection", "close");
    // one listener for every response (no closure per request): the response carries its connection
    (response as Tracked)[CONNECTION] = c;
    response.on("close", responseClosed); // a response closes once; `on` spares the wrapper `once` makes
  }

  /** A response on `c` closed: when it was the connection's last, note where its bytes stood, and end it if draining. */
  closed(c: Connection, response: ServerResponse): void {
    c.responses.delete(response);
    if (c.responses.size > 0) return;
    c.readWhenIdle = c.socket.bytesRead;
    if (this.draining) endWhenWritten(c.socket);
  }

  /**
   * Start draining: mark busy connections to close after their response and, one event-loop turn
   * later (so that requests already in the socket buffers are read and count as started), end the
   * idle ones.
   */
  private closeIdle(): void {
    if (!this.draining) {
      this.draining = true;
      this.deadline = setTimeout(() => this.server.closeAllConnections(), this.timeoutMs);
      this.deadline.unref();
    }
    for (const c of this.connections.values()) for (const r of c.responses) if (!r.headersSent) r.setHeader("connection", "close");
    setImmediate(() => this.endIdle());
  }

  private endIdle(): void {
    for (const [socket, c] of this.connections) {
      if (c.responses.size > 0) continue;
      // a request has started arriving: the framework answers it (503 while closing), then the connection ends
      if (socket.bytesRead > c.readWhenIdle) continue;
      endWhenWritten(socket);
    }
  }
}
