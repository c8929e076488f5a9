import { fstatSync } from 'node:fs';

/**
 * Whether `fd` is a terminal, as `tty.isatty(fd)` says. A pipe, file or
 * socket (how services run) is told by one `fstat`: only a character device
 * (a terminal, or `/dev/null`) asks node:tty, which costs about 3 ms of CPU
 * to load at start-up. Never throws.
 */
export function isTerminal(fd: number): boolean {
  try {
    // Windows reports consoles and pipes its own way: ask isatty there
    if (process.platform !== 'win32' && !fstatSync(fd).isCharacterDevice()) return false;
    return process.getBuiltinModule('node:tty').isatty(fd);
  } catch {
    return false; // a closed or invalid fd
  }
}
