import { createServer, type Socket } from 'node:net';

/**
 * A server on 127.0.0.1 that accepts connections and reads what comes, but answers `silent`:
 * never, or `drip`: one byte of a valid-looking HTTP answer a second, which keeps the socket
 * busy so that an idle timeout never fires. What an AWS endpoint or a proxy does when it hangs.
 */
export interface StallingServer {
  port: number;
  endpoint: string;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

const DRIP = 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n' + '{'.repeat(100_000);

export function startStallingServer(mode: 'silent' | 'drip'): Promise<StallingServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    if (mode === 'drip') {
      let sent = 0;
      const timer = setInterval(() => socket.write(DRIP[sent++ % DRIP.length]), 1000);
      socket.on('close', () => clearInterval(timer));
    }
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        port,
        endpoint: `http://127.0.0.1:${port}`,
        connections: () => accepted,
        close: () =>
          new Promise((done) => {
            sockets.forEach((s) => s.destroy());
            server.close(() => done());
          }),
      });
    });
  });
}
