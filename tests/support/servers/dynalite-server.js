// Runs dynalite (a DynamoDB emulator) on 127.0.0.1 in its own process: node dynalite-server.js [port]
// Prints {"port": N} once listening. Tables are ACTIVE at once (no CREATING delay to wait out).
const dynalite = require('dynalite');

const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
