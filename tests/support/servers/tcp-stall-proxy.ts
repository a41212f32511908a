import { connect, createServer, type Socket } from 'node:net';

export interface TcpStallProxy {
  port: number;
  /** From now on, bytes from the clients are no longer passed on: the server seems to hang. */
  stall(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 in front of a real server (PostgreSQL): it passes bytes both ways
 * until `stall()`, then swallows what the clients send, keeping every connection open. A
 * connection made before the stall is established and then never answered; one made after
 * it never completes its handshake.
 */
export function startTcpStallProxy(targetPort: number): Promise<TcpStallProxy> {
  let stalled = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.on('data', (chunk) => {
      if (!stalled) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as { port: number }).port,
        stall: () => {
          stalled = true;
        },
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
