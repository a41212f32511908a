// Runs fauxqs (SQS + S3 emulator) on 127.0.0.1 in its own process: node fauxqs-server.mjs [port]
// Prints {"port": N} once listening. fauxqs is ESM only and startFauxqs binds 0.0.0.0,
// hence buildApp + listen on loopback.
import { buildApp } from 'fauxqs';

const app = buildApp({ logger: false, host: '127.0.0.1', defaultRegion: process.env.AWS_REGION ?? 'us-east-1' });
await app.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1' });
process.stdout.write(JSON.stringify({ port: app.server.address().port }) + '\n');
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
