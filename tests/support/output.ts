import type { Logger } from '@aws-lambda-powertools/logger';
import { logger as receiverLogger } from '../../lib/observability/logger';

/**
 * Runs `run` with `logger` (the receiver's unless told) at `level` and returns every line
 * written to stdout and stderr meanwhile (Powertools writes logs and EMF metrics there),
 * restoring both after.
 */
export async function captureOutput<T>(
  run: () => Promise<T>,
  level = 'DEBUG',
  logger: Pick<Logger, 'getLevelName' | 'setLogLevel'> = receiverLogger,
): Promise<{ result: T; lines: string[] }> {
  const chunks: string[] = [];
  const collect = (chunk: unknown) => {
    chunks.push(String(chunk));
    return true;
  };
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(collect);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(collect);
  const previous = logger.getLevelName();
  logger.setLogLevel(level as Parameters<typeof logger.setLogLevel>[0]);
  try {
    const result = await run();
    return { result, lines: chunks.join('').split('\n').filter(Boolean) };
  } finally {
    logger.setLogLevel(previous);
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

/** The captured lines that are JSON objects, parsed. */
export function jsonLines(lines: string[]): Array<Record<string, unknown>> {
  return lines.flatMap((line) => {
    try {
      const value = JSON.parse(line);
      return value !== null && typeof value === 'object' ? [value] : [];
    } catch {
      return [];
    }
  });
}
