// clawdia's own atomic writer (issue 9 §1). A write is two steps, so a multi-file update can make
// every byte it needs before it replaces anything:
//
//   prepare  open `<file>.tmp-<pid><hex>` in the same dir (O_CREAT|O_EXCL|O_NOFOLLOW, 0600),
//            write in a loop that fails on a 0-byte write, fsync, fstat and compare the size, close;
//   commit   rename the temp over the file, fsync the dir.
//
// writeAll() does both for a whole update (adapters/state.ts plans it): every temp file first,
// then the renames in order, putting back what it replaced when one fails.
//
// A full disk (ENOSPC), a quota (EDQUOT) or a file size limit (EFBIG, `ulimit -f`) can only hit
// the prepare step: the temp file is removed and the old file was never touched.
//
// SIGXFSZ: Node starts with SIGXFSZ ignored, so a write past `ulimit -f` returns EFBIG. But a
// library that hooks every signal (signal-exit, used by ink and execa) re-raises it
// when it is the only listener, and the process dies mid-write. A listener of our own keeps it
// from doing that (signal-exit re-raises only when its own listeners are the only ones), so the
// error arrives as EFBIG and is reported like a full disk.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ClawdiaError } from '../../core/errors.js';
import { errnoCode, errnoHint, errnoWords } from './errno.js';

/** The file-system calls the writer makes: a port, so tests can inject a full disk or a short write. */
export interface WriteFs {
  openSync(file: string, flags: number, mode: number): number;
  writeSync(fd: number, buf: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  fstatSync(fd: number): { size: number };
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(file: string): void;
}

export const realFs: WriteFs = {
  openSync: (f, flags, mode) => fs.openSync(f, flags, mode),
  writeSync: (fd, buf, off, len) => fs.writeSync(fd, buf, off, len),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  fstatSync: (fd) => fs.fstatSync(fd),
  closeSync: (fd) => fs.closeSync(fd),
  renameSync: (a, b) => fs.renameSync(a, b),
  unlinkSync: (f) => fs.unlinkSync(f),
};

let xfszIgnored = false;
function ignoreSigxfsz(): void {
  if (xfszIgnored) return;
  xfszIgnored = true;
  try {
    process.on('SIGXFSZ', () => {
      // the write that crossed the limit fails with EFBIG and is reported there
    });
  } catch {
    // a platform without SIGXFSZ
  }
}

/** What only a temp file's write can meet; the rest is errno.ts's table. */
const WRITE_WORDS: Record<string, string> = {
  ESHORT: 'the disk took fewer bytes than were written',
  EEXIST: 'a temp file of that name already exists',
  ELOOP: 'a temp file of that name is a symbolic link',
};

/** What a failed write tells the user. `changed` says whether anything was left changed. */
export function writeError(e: unknown, file: string, changed = false): ClawdiaError {
  if (e instanceof ClawdiaError) return e;
  const code = errnoCode(e);
  return new ClawdiaError(
    `Could not write ${file}: ${errnoWords(code, WRITE_WORDS)}; ${changed ? 'some files could not be put back' : 'nothing was written'}.`,
    {
      hint:
        code === 'EFBIG'
          ? 'Raise the file size limit (ulimit -f) or free space, then run the command again.'
          : errnoHint(code === 'ESHORT' ? 'ENOSPC' : code, file),
    },
  );
}

/** A temp file written whole and fsynced, not yet in place. */
export interface Prepared {
  file: string;
  tmp: string;
  /** The bytes written (for a rollback that restores only what this writer changed). */
  text: string;
}

export function tempName(file: string): string {
  return `${file}.tmp-${process.pid}${randomBytes(4).toString('hex')}`;
}

/** Write `text` to a fresh temp file beside `file`; every byte counted. Throws the raw errno error. */
export function prepare(file: string, text: string, wfs: WriteFs = realFs): Prepared {
  ignoreSigxfsz();
  const buf = Buffer.from(text, 'utf8');
  const tmp = tempName(file);
  const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
  const fd = wfs.openSync(tmp, O_WRONLY | O_CREAT | O_EXCL | (O_NOFOLLOW ?? 0), 0o600);
  let ok = false;
  try {
    let off = 0;
    while (off < buf.length) {
      const n = wfs.writeSync(fd, buf, off, buf.length - off);
      if (!(n > 0)) throw Object.assign(new Error(`short write: ${off} of ${buf.length} bytes`), { code: 'ESHORT' });
      off += n;
    }
    wfs.fsyncSync(fd);
    const size = wfs.fstatSync(fd).size;
    if (size !== buf.length) throw Object.assign(new Error(`size ${size} after writing ${buf.length} bytes`), { code: 'ESHORT' });
    ok = true;
  } finally {
    if (!ok) {
      try {
        wfs.closeSync(fd);
      } catch {
        // the write already failed; that error is the one to report
      }
      discard(tmp, wfs);
    }
  }
  try {
    wfs.closeSync(fd);
  } catch (e) {
    // close can report a deferred write error (NFS): the data may not be there
    discard(tmp, wfs);
    throw e;
  }
  return { file, tmp, text };
}

/** Put a prepared temp file in place and make the rename durable. */
export function commit(p: Prepared, wfs: WriteFs = realFs): void {
  wfs.renameSync(p.tmp, p.file);
  fsyncDir(path.dirname(p.file));
}

export function discard(tmp: string, wfs: WriteFs = realFs): void {
  try {
    wfs.unlinkSync(tmp);
  } catch {
    // already gone
  }
}

export function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // not supported everywhere; the rename is still atomic
  }
}

/** prepare + commit for one file; the error names the file and says nothing was written. */
export function writeFileAtomic(file: string, text: string, wfs: WriteFs = realFs): void {
  let p: Prepared;
  try {
    p = prepare(file, text, wfs);
  } catch (e) {
    throw writeError(e, file);
  }
  try {
    commit(p, wfs);
  } catch (e) {
    discard(p.tmp, wfs);
    throw writeError(e, file);
  }
}

/** A file's text, or null when it cannot be read (absent). */
export function readIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Temp files orphaned by a killed writer (the writer names them `<file>.tmp-<pid><hex>`). */
export function sweepTemps(dir: string, base: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    if (n.startsWith(base + '.tmp-')) {
      try {
        fs.unlinkSync(path.join(dir, n));
      } catch {
        // best effort: a leftover temp is harmless, it is never read
      }
    }
  }
}

/** One file of a multi-file write: its new text, and what it held before (null: absent) for a rollback. */
export interface PlannedWrite {
  file: string;
  text: string;
  before: string | null;
}

export interface WriteAllHooks {
  /** Called with each file right before its temp file is renamed over it (tests crash or fail here). */
  beforeWrite?: (file: string) => void;
  /** Throws when a lock is no longer ours: checked right before each rename. */
  assertHeld: () => void;
  /** The file an error names when no file was being written. */
  failedFile: string;
}

/**
 * Write a plan of files, in order, all or nothing as far as a writer can: every temp file first,
 * then the renames; a failure puts back what this writer replaced. Returns the files written.
 */
export function writeAll(plan: PlannedWrite[], wfs: WriteFs, hooks: WriteAllHooks): string[] {
  // 1. Every temp file written whole and fsynced: a full disk, a quota or `ulimit -f` fails
  //    here, before any file is replaced.
  const prepared: Prepared[] = [];
  try {
    for (const p of plan) {
      try {
        prepared.push(prepare(p.file, p.text, wfs));
      } catch (e) {
        throw writeError(e, p.file);
      }
    }
  } catch (e) {
    for (const p of prepared) discard(p.tmp, wfs);
    throw e;
  }

  // 2. Renamed into place, in order, each only while the locks are still ours. A failure
  //    here puts back what this writer replaced — only where the file still holds what this
  //    writer put there (never another writer's content).
  const wrote: string[] = [];
  const committed: Prepared[] = [];
  try {
    for (const p of prepared) {
      hooks.beforeWrite?.(p.file);
      hooks.assertHeld(); // right before the rename: a pause anywhere earlier is caught here
      commit(p, wfs);
      committed.push(p);
      if (!wrote.includes(p.file)) wrote.push(p.file);
    }
  } catch (e) {
    for (const p of prepared.slice(committed.length)) discard(p.tmp, wfs);
    if (e instanceof ClawdiaError && committed.length > 0) {
      // The lock was lost: restoring now would overwrite the new holder's files.
      throw new ClawdiaError(`${e.message.replace(/\.$/, '')}; already replaced: ${[...new Set(committed.map((p) => p.file))].join(', ')}.`, { hint: e.hint });
    }
    if (e instanceof ClawdiaError) throw e;
    let left: string | null = null;
    const done = new Set<string>();
    for (const p of [...committed].reverse()) {
      if (done.has(p.file)) continue;
      done.add(p.file);
      const before = plan.find((x) => x.file === p.file)!.before;
      if (readIfExists(p.file) !== p.text) continue; // not ours any more
      try {
        if (before === null) fs.unlinkSync(p.file);
        else commit(prepare(p.file, before, wfs), wfs);
      } catch {
        left ??= p.file; // it holds this writer's content, whole
      }
    }
    const failed = prepared[committed.length]?.file ?? hooks.failedFile;
    if (left !== null) {
      const err = writeError(e, failed, true);
      throw new ClawdiaError(`${err.message.replace(/\.$/, '')} (${left} keeps the new content).`, { hint: err.hint });
    }
    throw writeError(e, failed);
  }
  return wrote;
}
