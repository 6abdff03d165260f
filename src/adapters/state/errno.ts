// What a failed file operation tells the user: one table of errno words and one hint for the
// reader, writer and lock (issue 12: three tables had grown apart).
import path from 'node:path';

const WORDS: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for this process (ulimit -f)',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent path is not a directory',
};

export function errnoCode(e: unknown): string {
  return (e as NodeJS.ErrnoException)?.code ?? 'EIO';
}

/** The words for `code`; `extra` holds what only one caller can meet (a temp file's EEXIST). */
export function errnoWords(code: string, extra: Record<string, string> = {}): string {
  return extra[code] ?? WORDS[code] ?? code;
}

/** A full disk or quota: free space; anything else: the permissions of the file's directory. */
export function errnoHint(code: string, file: string): string {
  return code === 'ENOSPC' || code === 'EDQUOT'
    ? 'Free some disk space, then run the command again.'
    : `Check the permissions of ${path.dirname(file)} (clawdia needs to write there).`;
}
