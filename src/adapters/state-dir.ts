// The state dir must be ours (issue 9 §7). An existing directory that others can write to or do not
// own — /tmp, a shared 1777 drop dir, another user's home — is refused, never chmodded: making it
// 0700 would break everyone else using it, and a dir others can write is one where they can swap
// our files. A dir we own that is only group-writable (a umask 002 mkdir) is still ours: it is set
// to 0700 as before.
import fs from 'node:fs';
import { ClawdiaError } from '../core/errors.js';

export function checkStateDirOwnership(dir: string, uid: number | undefined = process.getuid?.()): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    return; // absent: we create it 0700; other errors are reported by the caller's mkdir
  }
  if (!st.isDirectory()) return;
  const shared = (st.mode & 0o1002) !== 0; // other-writable, or the sticky bit of a shared drop dir
  const notOurs = uid !== undefined && st.uid !== uid;
  if (!shared && !notOurs) return;
  const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
  throw new ClawdiaError(
    `${dir} is a shared directory (mode ${mode}${notOurs ? `, owned by uid ${st.uid}, not you` : ''}); clawdia will not keep credentials there or change its mode. Nothing was written.`,
    { hint: `Set CLAWDIA_STATE_DIR to a directory of your own (e.g. ~/.clawdia), or make one inside it: mkdir -m 700 ${dir}/clawdia` },
  );
}
