import { createLogger, type Logger } from '../../src/logger.ts';

/** A real pino logger at trace level whose lines are kept in memory, so tests can grep what was logged. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger('trace', { write: (line: string) => void lines.push(line) }), lines };
}
