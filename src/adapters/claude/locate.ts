// Finding Claude Code's `claude`: CLAWDIA_CLAUDE_BIN (a path, or a name looked up on PATH) or
// `claude` on PATH — absolute PATH entries only, executable files only. Runs no child.
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Env } from '../../ports.js';

/** The `claude` to run, or null when there is none (or the override is broken). */
export function locateClaude(env: Env, platform: NodeJS.Platform): string | null {
  const locate = (): string | null => {
    const override = env.get('CLAWDIA_CLAUDE_BIN');
    // An explicit override that is broken is reported as not found, never silently replaced by PATH.
    if (override)
      return override.includes('/') || isAbsolute(override) ? (isExecutable(resolve(override), platform) ? resolve(override) : null) : searchPath(override);
    return searchPath('claude');
  };

  const searchPath = (name: string): string | null => {
    const sep = platform === 'win32' ? ';' : ':';
    const exts = platform === 'win32' ? ['', ...(env.get('PATHEXT') ?? '.EXE;.CMD;.BAT').split(';').map((e) => e.toLowerCase())] : [''];
    for (const dir of (env.get('PATH') ?? '').split(sep)) {
      // An empty entry means the current directory: never run a `claude` from wherever we happen to be.
      if (!dir || !isAbsolute(dir)) continue;
      for (const ext of exts) {
        const candidate = join(dir, name + ext);
        if (isExecutable(candidate, platform)) return candidate;
      }
    }
    return null;
  };

  return locate();
}

function isExecutable(p: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    if (platform !== 'win32') accessSync(p, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}
