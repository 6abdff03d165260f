// The only module that touches the state files. Reads parse the files directly (`models status`
// must stay light, SPEC §8); writes take clawdia's own locks (state/lock.ts: config, then stores),
// re-read under the lock, write every temp file whole first and then rename them into place
// (state/write.ts: every byte counted, fsync, 0600 files in 0700 dirs). conf is no longer used.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ClawdiaError, FileParseError } from '../core/errors.js';
import { claudeLoginTheGatewaySyncs } from '../core/gateway.js';
import { editJsonText, parseConfigText, parseJsonFile, type ConfigSyntax } from '../core/jsonc.js';
import { asAuthStore, asConfig, migrateConfig } from '../core/migration.js';
import { decodeUtf8 } from '../core/validate.js';
import { statePaths, type StateLocation, type StatePaths } from '../core/paths.js';
import { checkStateDirOwnership } from './state-dir.js';
import { credentialSecret, emptyStore, type AuthStore, type ClawdiaConfig, type ValidationRecord } from '../core/types.js';
import type { ConfigSnapshot, StateDraft, StateStore, StoreSnapshot, UpdateResult } from '../ports.js';
import { errnoCode, errnoHint, errnoWords } from './state/errno.js';
import type { Lock } from './state/lock.js';
import type { PlannedWrite, WriteFs } from './state/write.js';

export interface StateHooks {
  /** Called with each file right before its temp file is renamed over it (tests crash or fail here). */
  beforeWrite?: (file: string) => void;
  /** The file-system calls of the atomic writer (tests inject a full disk or a short write). */
  fs?: Partial<WriteFs>;
  /** Told who holds a lock this writer waits for (default: a line on stderr). */
  onLockWait?: (message: string) => void;
  /** A one-line notice for the user (stderr), e.g. a config that had to be re-serialized. */
  notice?: (text: string) => void;
}

function readText(file: string, what: string): string | null {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') {
      throw new ClawdiaError(`Cannot read ${what} ${file}: a parent path is not a directory.`);
    }
    throw ioError(e, `read ${what}`, file);
  }
  if (st.isSymbolicLink()) {
    throw new ClawdiaError(`${file} is a symbolic link; clawdia does not follow links for ${what}s.`, {
      hint: 'Replace the link with the file itself (chmod 600), then run the command again.',
    });
  }
  if (!st.isFile()) {
    throw new ClawdiaError(`${file} is not a regular file (a directory?); clawdia will not touch it.`, {
      hint: `Move it away, then run the command again.`,
    });
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw ioError(e, `read ${what}`, file);
  }
  return withBackupHint(() => decodeUtf8(bytes, file));
}

/** A parse error's hint names the migration backup only when it is there. */
function withBackupHint<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof FileParseError && fs.existsSync(e.file + '.bak')) {
      throw new FileParseError(e.file, e.line, e.column, e.what, {
        hint: `${e.hint?.replace(/, then run the command again\.$/, '') ?? 'Fix or move the file by hand'} (the file before clawdia's last migration is ${e.file}.bak), then run the command again.`,
      });
    }
    throw e;
  }
}

function isLoose(file: string): boolean {
  try {
    return (fs.statSync(file).mode & 0o077) !== 0;
  } catch {
    return false;
  }
}

export function ioError(e: unknown, action: string, file: string): ClawdiaError {
  const code = errnoCode(e);
  return new ClawdiaError(`Could not ${action} ${file}: ${errnoWords(code, { ELOCKED: 'another clawdia is writing it' })}. Nothing was changed.`, {
    hint: code === 'ELOCKED' ? 'Wait for the other clawdia command to finish, then run this one again.' : errnoHint(code, file),
  });
}

export function readConfigFile(paths: StatePaths): ConfigSnapshot & { raw: string | null; syntax: ConfigSyntax; parsed: ClawdiaConfig } {
  const raw = readText(paths.configPath, 'config');
  if (raw === null) {
    paths.learnConfig({});
    return { config: {}, exists: false, migrated: [], loosePermissions: false, raw, syntax: 'json', parsed: {} };
  }
  const { value, syntax } = withBackupHint(() => parseConfigText(raw, paths.configPath));
  const parsed = withBackupHint(() => asConfig(value, paths.configPath, raw));
  const { config, migrated } = migrateConfig(parsed);
  paths.learnConfig(config);
  return { config, exists: true, migrated, loosePermissions: isLoose(paths.configPath), raw, syntax, parsed };
}

/** What identifies a credential in clawdia-checks.json: a short SHA-256 of the secret (never the secret). */
export function credentialHash(secret: unknown): string {
  return (
    'sha256:' +
    createHash('sha256')
      .update(typeof secret === 'string' ? secret : '')
      .digest('hex')
      .slice(0, 24)
  );
}

interface CheckEntry extends ValidationRecord {
  credential: string;
}

function readChecks(file: string): { checks: Record<string, CheckEntry>; raw: string | null } {
  const raw = readText(file, 'check results file');
  if (raw === null) return { checks: {}, raw };
  const parsed = parseJsonFile(raw, file, { comments: false });
  const checks = parsed.checks;
  if (!checks || typeof checks !== 'object' || Array.isArray(checks)) return { checks: {}, raw };
  return { checks: checks as Record<string, CheckEntry>, raw };
}

/**
 * A store file plus clawdia's checks beside it, as one `AuthStore` whose `validation` holds the
 * checks that still match their credential (a credential replaced since — by the gateway's Claude
 * Code sync, say — shows "checked never"), and any `validation` block an older clawdia left in the
 * store itself (moved to the checks file on the next write).
 */
export function readStoreAt(storeFile: string, checksFile: string): StoreSnapshot & { raw: string | null; checksRaw: string | null } {
  const raw = readText(storeFile, 'auth store');
  const { checks, raw: checksRaw } = readChecks(checksFile);
  if (raw === null) return { store: emptyStore(), exists: false, loosePermissions: false, raw, checksRaw };
  const store = withBackupHint(() => asAuthStore(parseJsonFile(raw, storeFile, { comments: false }), storeFile, raw));
  const validation: Record<string, ValidationRecord> = { ...(store.validation ?? {}) };
  for (const [id, entry] of Object.entries(checks)) {
    const cred = store.profiles[id];
    if (!cred || !entry || typeof entry !== 'object' || typeof entry.at !== 'number' || typeof entry.verdict !== 'string') continue;
    if (entry.credential !== credentialHash(credentialSecret(cred))) continue;
    const { credential: _c, ...rec } = entry;
    validation[id] = rec;
  }
  if (Object.keys(validation).length) store.validation = validation;
  else delete store.validation;
  return { store, exists: true, loosePermissions: isLoose(storeFile), raw, checksRaw };
}

export function readStoreFile(paths: StatePaths, agentId: string): StoreSnapshot & { raw: string | null; checksRaw: string | null } {
  return readStoreAt(paths.storePath(agentId), paths.checksPath(agentId));
}

/** Split a draft store into what the store file holds (what the gateway reads) and the checks file. */
export function splitChecks(store: AuthStore): { store: AuthStore; checks: { version: 1; checks: Record<string, CheckEntry> } | null } {
  const { validation, ...rest } = store;
  const checks: Record<string, CheckEntry> = {};
  for (const [id, rec] of Object.entries(validation ?? {})) {
    const cred = store.profiles[id];
    if (!cred || !rec) continue;
    checks[id] = { credential: credentialHash(credentialSecret(cred)), ...rec };
  }
  return { store: rest as AuthStore, checks: Object.keys(checks).length ? { version: 1, checks } : null };
}

/**
 * mkdir -p with every level we create at 0700, and the agent dirs fixed to 0700. Links are refused
 * inside the state dir; the state dir itself may be one (the user chose that path, e.g. dotfiles).
 */
function ensureDir(dir: string, fix: boolean, followLink = false): void {
  if (followLink) checkStateDirOwnership(dir); // the state dir itself: refused, never chmodded, when shared
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (fix) {
      const st = followLink ? fs.statSync(dir) : fs.lstatSync(dir);
      if (!st.isDirectory()) throw Object.assign(new Error('not a dir'), { code: 'ENOTDIR' });
      if ((st.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
    }
  } catch (e) {
    throw ioError(e, 'create directory', dir);
  }
}

const serialize = (v: unknown) => JSON.stringify(v, null, 2) + '\n';

export function createStateStore(where: string | StateLocation, hooks: StateHooks = {}): StateStore {
  const paths = statePaths(where);
  let configRead = false;
  /** agentDir comes from the config (agents.list[].agentDir): read it before the first store. */
  const knowAgentDirs = () => {
    if (configRead) return;
    readConfigFile(paths);
    configRead = true;
  };

  return {
    paths,
    readConfig: () => {
      const { raw: _raw, syntax: _s, parsed: _p, ...snap } = readConfigFile(paths);
      configRead = true;
      return snap;
    },
    readStore: (agentId) => {
      knowAgentDirs();
      const { raw: _raw, checksRaw: _c, ...snap } = readStoreFile(paths, agentId);
      return snap;
    },
    readMainStore: () => {
      const {
        raw: _raw,
        checksRaw: _c,
        ...snap
      } = readStoreAt(paths.mainStorePath, path.join(path.dirname(paths.mainStorePath), path.basename(paths.checksPath('main'))));
      return snap;
    },
    gatewayClaudeLogin: () => {
      // cli-credentials.js reads `<os.homedir()>/.claude/.credentials.json` (and the macOS Keychain,
      // which clawdia does not read here: status runs no child process).
      try {
        return claudeLoginTheGatewaySyncs(fs.readFileSync(path.join(paths.location.home, '.claude', '.credentials.json'), 'utf8'));
      } catch {
        return null;
      }
    },
    async update(agentIds, mutate, opts = {}): Promise<UpdateResult> {
      const ids = [...new Set(agentIds)];
      readConfigFile(paths); // agents.list[].agentDir decides which store files to lock
      configRead = true;
      for (const id of ids) paths.storePath(id); // validates ids before anything is touched
      if (opts.dryRun) {
        const cfg = readConfigFile(paths);
        const stores: Record<string, AuthStore> = {};
        for (const id of ids) stores[id] = structuredClone(readStoreFile(paths, id).store);
        await mutate({ config: structuredClone(cfg.config), stores });
        return { wrote: [], migrated: cfg.migrated };
      }
      const oldUmask = process.umask(0o077);
      // Both load only here: read-only commands never pay for them.
      const { acquireLock } = await import('./state/lock.js');
      const w = await import('./state/write.js');
      const wfs: WriteFs = { ...w.realFs, ...hooks.fs };
      const onWait = hooks.onLockWait ?? ((m: string) => void process.stderr.write(m + '\n'));
      const locks: Lock[] = [];
      try {
        ensureDir(paths.stateDir, true, true);
        if (path.dirname(paths.configPath) !== paths.stateDir) ensureDir(path.dirname(paths.configPath), false, true);
        locks.push(await acquireLock(paths.configPath, { onWait }));
        for (const id of ids) {
          if (paths.isDefaultAgentDir(id)) {
            ensureDir(path.join(paths.stateDir, 'agents'), true);
            ensureDir(path.join(paths.stateDir, 'agents', id), true);
          }
          ensureDir(paths.agentDir(id), true);
          locks.push(await acquireLock(paths.storePath(id), { onWait }));
        }
        const assertHeld = () => {
          for (const l of locks) l.assertHeld();
        };
        const cfg = readConfigFile(paths);
        const storeReads = Object.fromEntries(ids.map((id) => [id, readStoreFile(paths, id)]));
        const draft: StateDraft = {
          config: structuredClone(cfg.config) as ClawdiaConfig,
          stores: Object.fromEntries(ids.map((id) => [id, structuredClone(storeReads[id]!.store)])),
        };
        await mutate(draft);
        assertHeld();
        const configBase = path.basename(paths.configPath);
        w.sweepTemps(path.dirname(paths.configPath), configBase);
        w.sweepTemps(path.dirname(paths.configPath), configBase + '.bak');
        for (const id of ids) {
          w.sweepTemps(path.dirname(paths.storePath(id)), 'auth-profiles.json');
          w.sweepTemps(path.dirname(paths.checksPath(id)), path.basename(paths.checksPath(id)));
        }
        // The config as text: unchanged data keeps the file as it is; JSON or JSONC is edited in
        // place (comments and formatting kept); JSON5-only syntax cannot be, so it is rewritten
        // as JSON — said on stderr, with a .bak of the old file.
        const renderConfig = (data: ClawdiaConfig): string => {
          if (cfg.raw === null) return serialize(data);
          if (JSON.stringify(data) === JSON.stringify(cfg.parsed)) return cfg.raw;
          return cfg.syntax === 'json5' ? serialize(data) : editJsonText(cfg.raw, data);
        };

        // The writes, in order. A file whose bytes would not change is skipped (unless its mode is
        // loose: the rewrite makes it 0600).
        const plan: PlannedWrite[] = [];
        const want = (file: string, text: string, current: string | null, before: string | null) => {
          if (current !== null && current === text && !isLoose(file)) return false;
          plan.push({ file, text, before });
          return true;
        };
        // Config first, so a crash between the files leaves a declared-but-absent profile, never an
        // undeclared secret (SPEC §9). A removal turns that around: the config keeps declaring what the
        // stores drop until the stores are written, then loses it in a second config write.
        const dropped = Object.keys(cfg.config.auth?.profiles ?? {}).filter((pid) => !(pid in (draft.config.auth?.profiles ?? {})));
        let firstConfig = draft.config;
        if (dropped.length > 0) {
          firstConfig = structuredClone(draft.config);
          const declared = ((firstConfig.auth ??= {}).profiles ??= {});
          for (const pid of dropped) declared[pid] = cfg.config.auth!.profiles![pid]!;
        }
        const firstText = renderConfig(firstConfig);
        const json5Rewrite = cfg.syntax === 'json5' && cfg.raw !== null && firstText !== cfg.raw;
        if ((cfg.migrated.length > 0 || json5Rewrite) && cfg.raw !== null) {
          const bak = paths.configPath + '.bak';
          want(bak, cfg.raw, null, w.readIfExists(bak));
        }
        const configWritten = want(paths.configPath, firstText, cfg.raw, cfg.raw);
        for (const id of ids) {
          // The store gets only what the gateway reads; clawdia's check results go beside it.
          const split = splitChecks(draft.stores[id]!);
          want(paths.storePath(id), serialize(split.store), storeReads[id]!.raw, storeReads[id]!.raw);
          const checksRaw = storeReads[id]!.checksRaw;
          if (split.checks || checksRaw !== null) {
            want(paths.checksPath(id), serialize(split.checks ?? { version: 1, checks: {} }), checksRaw, checksRaw);
          }
        }
        if (firstConfig !== draft.config) want(paths.configPath, renderConfig(draft.config), configWritten ? firstText : cfg.raw, cfg.raw);

        const wrote = w.writeAll(plan, wfs, { beforeWrite: hooks.beforeWrite, assertHeld, failedFile: paths.configPath });
        if (json5Rewrite && wrote.includes(paths.configPath)) {
          hooks.notice?.(
            `${paths.configPath} uses JSON5 syntax (unquoted keys, single quotes, …) that clawdia cannot edit in place, so it was rewritten as plain JSON (which the gateway reads too): its comments and formatting are gone. The old file is kept as ${configBase}.bak.`,
          );
        }
        return { wrote, migrated: cfg.migrated };
      } finally {
        for (const l of locks.reverse()) l.release();
        process.umask(oldUmask);
      }
    },
  };
}
