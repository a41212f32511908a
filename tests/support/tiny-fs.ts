import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Mounts a tmpfs of `size` (e.g. "16k") on a fresh directory and returns it, to fill a disk for
 * real; undefined where mounting is impossible (not root, no CAP_SYS_ADMIN): skip the test then.
 * Synchronous: call it while no emulator runs in this process. Unmount with `unmountTinyFs`.
 */
export function mountTinyFs(size: string): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'tiny-fs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

export function unmountTinyFs(dir: string | undefined): void {
  if (!dir) return;
  execFileSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
}
