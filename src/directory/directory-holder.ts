import { scrubbed, type Logger } from '../log.ts';
import type { CustomerDirectory } from './customer-directory.ts';
import { loadDirectoryFile } from './load-directory.ts';

/**
 * Holds the current directory. reload() builds a new index aside and swaps the
 * reference in one assignment: a job sees the old or the new directory, never
 * half of one; a source that fails to load keeps the previous index.
 */
export class DirectoryHolder {
  private current: CustomerDirectory;

  constructor(
    private readonly file: string,
    private readonly logger: Logger,
  ) {
    this.current = loadDirectoryFile(file);
  }

  get(): CustomerDirectory {
    return this.current;
  }

  reload(): boolean {
    try {
      const next = loadDirectoryFile(this.file);
      this.current = next;
      this.logger.info({ customers: next.size }, 'customer directory reloaded');
      return true;
    } catch (err) {
      this.logger.error({ err: scrubbed(err) }, 'customer directory reload failed; keeping the previous one');
      return false;
    }
  }
}
