// The only module that touches the state files. Reads parse the files directly (no conf:
// `models status` must not pay its import, SPEC §8); writes take proper-lockfile locks (config,
// then stores), re-read under the lock, and let conf serialize each file atomically
// (temp file + fsync + rename) with 0600 files in 0700 dirs.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ClawdiaError } from '../core/errors.js';
import { claudeLoginTheGatewaySyncs } from '../core/gateway.js';
import { editJsonText, parseConfigText, parseJsonFile, type ConfigSyntax } from '../core/jsonc.js';
import { asAuthStore, asConfig, migrateConfig } from '../core/migration.js';
import { statePaths, type StateLocation, type StatePaths } from '../core/paths.js';
import { credentialSecret, emptyStore, type AuthStore, type ClawdiaConfig, type ValidationRecord } from '../core/types.js';
import type { ConfigSnapshot, StateDraft, StateStore, StoreSnapshot, UpdateResult } from '../ports.js';

export interface StateHooks {
  /** Called with each file right before it is written (tests simulate a full disk here). */
  beforeWrite?: (file: string) => void;
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
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw ioError(e, `read ${what}`, file);
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
  const code = (e as NodeJS.ErrnoException)?.code ?? 'EIO';
  const why: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on device',
    EDQUOT: 'disk quota exceeded',
    EISDIR: 'is a directory',
    ENOTDIR: 'a parent path is not a directory',
    ELOCKED: 'another clawdia is writing it',
  };
  return new ClawdiaError(`Could not ${action} ${file}: ${why[code] ?? code}. Nothing was changed.`, {
    hint:
      code === 'ENOSPC' || code === 'EDQUOT'
        ? 'Free some disk space, then run the command again.'
        : code === 'ELOCKED'
          ? 'Wait for the other clawdia command to finish, then run this one again.'
          : `Check the permissions of ${path.dirname(file)} (clawdia needs to write there).`,
  });
}

export function readConfigFile(paths: StatePaths): ConfigSnapshot & { raw: string | null; syntax: ConfigSyntax; parsed: ClawdiaConfig } {
  const raw = readText(paths.configPath, 'config');
  if (raw === null) {
    paths.useConfig({});
    return { config: {}, exists: false, migrated: [], loosePermissions: false, raw, syntax: 'json', parsed: {} };
  }
  const { value, syntax } = parseConfigText(raw, paths.configPath);
  const parsed = asConfig(value, paths.configPath);
  const { config, migrated } = migrateConfig(parsed);
  paths.useConfig(config);
  return { config, exists: true, migrated, loosePermissions: isLoose(paths.configPath), raw, syntax, parsed };
}

/** What identifies a credential in clawdia-checks.json: a short SHA-256 of the secret (never the secret). */
export function credentialHash(secret: unknown): string {
  return 'sha256:' + createHash('sha256').update(typeof secret === 'string' ? secret : '').digest('hex').slice(0, 24);
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
  const store = asAuthStore(parseJsonFile(raw, storeFile, { comments: false }), storeFile);
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

/** Temp files orphaned by a killed writer (atomically names them `<file>.tmp-<digits><hex>`). */
function sweepTemps(dir: string, base: string): void {
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

function fsyncDir(dir: string): void {
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

const serialize = (v: unknown) => JSON.stringify(v, null, 2) + '\n';

/** Temp file (0600 from the first byte) in the same dir, fsync, rename. */
function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

export function createStateStore(where: string | StateLocation, hooks: StateHooks = {}): StateStore {
  const paths = statePaths(where);
  let configRead = false;
  /** agentDir comes from the config (agents.list[].agentDir): read it before the first store. */
  const knowAgentDirs = () => {
    if (configRead) return;
    readConfigFile(paths);
    configRead = true;
  };

  async function writeWithConf(file: string, data: unknown, raw: string | null, text = serialize(data)): Promise<boolean> {
    const stale = (() => {
      try {
        return (fs.statSync(file).mode & 0o077) !== 0;
      } catch {
        return false;
      }
    })();
    if (raw !== null && raw === text && !stale) return false;
    const { default: Conf } = await import('conf');
    const dir = path.dirname(file);
    // clawdbot.json, or whatever $CLAWDBOT_CONFIG_PATH names (conf appends the extension itself).
    const ext = path.extname(file);
    const base = path.basename(file, ext);
    try {
      hooks.beforeWrite?.(file);
      // conf as a serializer only (SPEC §9): its defaults break the contract, so each is set here.
      const conf = new Conf<Record<string, unknown>>({
        cwd: dir,
        configName: base,
        fileExtension: ext.slice(1),
        projectName: 'clawdia',
        configFileMode: 0o600,
        clearInvalidConfig: false,
        accessPropertiesByDotNotation: false,
        watch: false,
        // The text decided above: a config edited in place keeps its comments and formatting.
        serialize: () => text,
        // The file was already parsed under the lock; conf must not re-interpret it.
        deserialize: () => ({}),
      });
      conf.store = data as Record<string, unknown>;
      if (stale) fs.chmodSync(file, 0o600);
    } catch (e) {
      throw ioError(e, 'write', file);
    }
    fsyncDir(dir);
    return true;
  }

  return {
    paths,
    readConfig: () => {
      const { raw: _raw, ...snap } = readConfigFile(paths);
      configRead = true;
      return snap;
    },
    readStore: (agentId) => {
      knowAgentDirs();
      const { raw: _raw, checksRaw: _c, ...snap } = readStoreFile(paths, agentId);
      return snap;
    },
    readMainStore: () => {
      const { raw: _raw, checksRaw: _c, ...snap } = readStoreAt(paths.mainStorePath, path.join(path.dirname(paths.mainStorePath), path.basename(paths.checksPath('main'))));
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
      // CJS module: bundled, its API sits on `default`; unbundled (tests), on the namespace too.
      const lockMod = await import('proper-lockfile');
      const lockfile = (lockMod as unknown as { default?: typeof lockMod }).default ?? lockMod;
      const releases: Array<() => Promise<void>> = [];
      let compromised: Error | null = null;
      const lock = async (file: string) => {
        // Retry only while another clawdia holds the lock (ELOCKED; a stale one is taken over inside
        // lock()): proper-lockfile's own `retries` also retries EROFS/EACCES/ENOSPC, for ~50 s.
        let wait = 15;
        for (let attempt = 0; ; attempt++) {
          try {
            const release = await lockfile.lock(file, {
              realpath: false,
              lockfilePath: file + '.lock',
              stale: 5000,
              update: 1000,
              retries: 0,
              onCompromised: (err: Error) => {
                compromised = err;
              },
            });
            releases.push(release);
            return;
          } catch (e) {
            if ((e as NodeJS.ErrnoException)?.code === 'ELOCKED' && attempt < 200) {
              await new Promise((r) => setTimeout(r, wait * (1 + Math.random())));
              wait = Math.min(250, wait * 1.3);
              continue;
            }
            if (process.env.CLAWDIA_DEBUG === '1') process.stderr.write(`lock failed: ${String((e as Error)?.stack ?? e)}\n`);
            throw ioError(e, 'lock', file);
          }
        }
      };
      try {
        ensureDir(paths.stateDir, true, true);
        if (path.dirname(paths.configPath) !== paths.stateDir) ensureDir(path.dirname(paths.configPath), false, true);
        await lock(paths.configPath);
        for (const id of ids) {
          if (paths.isDefaultAgentDir(id)) {
            ensureDir(path.join(paths.stateDir, 'agents'), true);
            ensureDir(path.join(paths.stateDir, 'agents', id), true);
          }
          ensureDir(paths.agentDir(id), true);
          await lock(paths.storePath(id));
        }
        const cfg = readConfigFile(paths);
        const storeReads = Object.fromEntries(ids.map((id) => [id, readStoreFile(paths, id)]));
        const draft: StateDraft = {
          config: structuredClone(cfg.config) as ClawdiaConfig,
          stores: Object.fromEntries(ids.map((id) => [id, structuredClone(storeReads[id]!.store)])),
        };
        await mutate(draft);
        if (compromised) throw ioError(Object.assign(new Error('lock lost'), { code: 'ELOCKED' }), 'lock', paths.configPath);
        const wrote: string[] = [];
        const configBase = path.basename(paths.configPath);
        sweepTemps(path.dirname(paths.configPath), configBase);
        sweepTemps(path.dirname(paths.configPath), configBase + '.bak');
        // What each file held before this update wrote it: a write that fails after another one
        // landed (full disk on the store after the config) puts those back — a failed command
        // writes nothing (SPEC §5).
        const originals = new Map<string, string | null>();
        const landed = (file: string, before: string | null) => {
          if (!originals.has(file)) originals.set(file, before);
          if (!wrote.includes(file)) wrote.push(file);
        };
        // The config as text: unchanged data keeps the file as it is; JSON or JSONC is edited in
        // place (comments and formatting kept); JSON5-only syntax cannot be, so it is rewritten
        // as JSON — said on stderr, with a .bak of the old file.
        const renderConfig = (data: ClawdiaConfig): string => {
          if (cfg.raw === null) return serialize(data);
          if (JSON.stringify(data) === JSON.stringify(cfg.parsed)) return cfg.raw;
          return cfg.syntax === 'json5' ? serialize(data) : editJsonText(cfg.raw, data);
        };
        try {
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
            let before: string | null = null;
            try {
              before = fs.readFileSync(bak, 'utf8');
            } catch {
              // no earlier backup
            }
            try {
              hooks.beforeWrite?.(bak);
              writeAtomic(bak, cfg.raw);
            } catch (e) {
              throw e instanceof ClawdiaError ? e : ioError(e, 'write', bak);
            }
            landed(bak, before);
          }
          // Config first, so a crash between the files leaves a declared-but-absent profile, never an
          // undeclared secret (SPEC §9). A removal turns that around: the config keeps declaring what the
          // stores drop until the stores are written, then loses it in a second config write.
          if (await writeWithConf(paths.configPath, firstConfig, cfg.raw, firstText)) landed(paths.configPath, cfg.raw);
          for (const id of ids) {
            const file = paths.storePath(id);
            sweepTemps(path.dirname(file), 'auth-profiles.json');
            // The store gets only what the gateway reads; clawdia's check results go beside it.
            const split = splitChecks(draft.stores[id]!);
            if (await writeWithConf(file, split.store, storeReads[id]!.raw)) landed(file, storeReads[id]!.raw);
            const checksFile = paths.checksPath(id);
            const checksRaw = storeReads[id]!.checksRaw;
            if (split.checks || checksRaw !== null) {
              sweepTemps(path.dirname(checksFile), path.basename(checksFile));
              if (await writeWithConf(checksFile, split.checks ?? { version: 1, checks: {} }, checksRaw)) landed(checksFile, checksRaw);
            }
          }
          if (firstConfig !== draft.config && (await writeWithConf(paths.configPath, draft.config, firstText, renderConfig(draft.config)))) landed(paths.configPath, cfg.raw);
          if (json5Rewrite) {
            const base = path.basename(paths.configPath);
            hooks.notice?.(
              `${paths.configPath} uses JSON5 syntax (unquoted keys, single quotes, …) that clawdia cannot edit in place, so it was rewritten as plain JSON (which the gateway reads too): its comments and formatting are gone. The old file is kept as ${base}.bak.`,
            );
          }
        } catch (e) {
          for (const [file, before] of [...originals].reverse()) {
            try {
              if (before === null) fs.unlinkSync(file);
              else writeAtomic(file, before);
            } catch {
              // best effort: the file then holds the new content, whole (each write was atomic)
            }
          }
          throw e;
        }
        return { wrote, migrated: cfg.migrated };
      } finally {
        for (const r of releases.reverse()) {
          try {
            await r();
          } catch {
            // a lock already released or compromised: nothing left to undo
          }
        }
        process.umask(oldUmask);
      }
    },
  };
}
