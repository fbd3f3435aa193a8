// A TCP relay that can be switched off (refusing new connections and cutting open ones) and on again: lets tests
// take a real PostgreSQL server "away" from one client without touching the server.
import net from 'node:net';

export interface SwitchableProxy {
  port: number;
  /** refuse new connections and cut the open ones */
  down(): Promise<void>;
  /** accept connections again, on the same port */
  up(): Promise<void>;
  stop(): Promise<void>;
}

export async function switchableProxy(host: string, port: number): Promise<SwitchableProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const listenPort = (server.address() as net.AddressInfo).port;
  const cut = () => {
    for (const s of sockets) s.destroy();
  };
  return {
    port: listenPort,
    async down() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      cut();
      await closed;
    },
    async up() {
      await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
    },
    async stop() {
      cut();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The URL of `url` rerouted through the proxy on 127.0.0.1:port. */
export function viaProxy(connectionString: string, port: number): string {
  const u = new URL(connectionString);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  return u.toString();
}
