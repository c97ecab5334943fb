import { createServer, Socket, type AddressInfo, type Server } from 'node:net';

/** A TCP relay (to Redis or PostgreSQL) that can be stopped (dropping its connections) and started on the same port. */
export async function startProxy(targetPort: number): Promise<{ port: number; stop(): Promise<void>; start(): Promise<void> }> {
  let server: Server | null = null;
  const sockets = new Set<Socket>();
  let port = 0;
  const start = async (): Promise<void> => {
    const s = createServer((inbound) => {
      const outbound = new Socket();
      outbound.connect(targetPort, '127.0.0.1');
      for (const socket of [inbound, outbound]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {});
      }
      inbound.pipe(outbound).pipe(inbound);
      inbound.on('close', () => outbound.destroy());
      outbound.on('close', () => inbound.destroy());
    });
    await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', resolve));
    port = (s.address() as AddressInfo).port;
    server = s;
  };
  const stop = async (): Promise<void> => {
    const s = server;
    server = null;
    if (!s) return;
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await start();
  return { port, stop, start };
}
