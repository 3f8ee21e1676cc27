/** Whether a listen address is the loopback interface (where the server may run without tokens). */
import { isIP } from "node:net";

/** True for `localhost`, 127.0.0.0/8, `::1` (and the IPv4-mapped `::ffff:127.x.x.x`). */
export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  if (isIP(h) === 6) {
    if (h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    return mapped !== null && mapped[1].startsWith("127.");
  }
  return false;
}
