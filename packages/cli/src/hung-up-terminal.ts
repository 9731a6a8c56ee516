import { closeSync } from 'node:fs';
import { isatty } from 'node:tty';

/**
 * Lets the CLI exit with its own code after its terminal hung up (the terminal window or the ssh session
 * closed). Node 20 restores each terminal's settings when it exits and asserts that this works; on a
 * terminal that hung up it fails (EIO), and the process dies of SIGSEGV with a native stack trace
 * instead of exiting 129 (nodejs/node#51519, fixed in later Node versions). Node skips a standard stream
 * whose descriptor the program closed, so at exit the ones that were a terminal at start and are no
 * longer one (a hung-up terminal answers no terminal request) are closed first. Nothing can be written to
 * them any more anyway.
 */
export const exitCleanlyAfterHangUp = (): void => {
  const terminals = [0, 1, 2].filter((fd) => isatty(fd));
  if (terminals.length === 0) return;
  process.on('exit', () => {
    for (const fd of terminals) {
      if (isatty(fd)) continue;
      try {
        closeSync(fd);
      } catch {
        // Already closed: Node skips it as well.
      }
    }
  });
};
