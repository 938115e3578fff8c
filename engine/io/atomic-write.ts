// Outputs are written to a temporary file and renamed into place, so a crash
// or a bad input never leaves a half-written file where a good one was.
// An output folder (a run, a merge, a sweep, a report) is replaced the same way
// as a whole: written into a fresh sibling `.<name>.new-<pid>`, then the old
// folder is renamed away, the new one renamed in and the old one removed, so
// after a SIGKILL, a full disk or any error the folder holds either the old
// output or the new one, never a mix. A sibling left by a killed process is
// removed by the next write of that folder.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, parse, resolve } from 'node:path';
import { InputError } from '../contract/input-error.ts';

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Names this module writes and removes again: `x.<pid>.tmp` files and `.<folder>.new|old-<pid>` siblings. */
const TEMP_FILE = /\.\d+\.tmp$/;
const SIBLING = /^\.(.+)\.(new|old)-(\d+)$/;

/** A name a crash may leave behind (never part of a finished output). */
export function isTempName(name: string): boolean {
  return TEMP_FILE.test(name) || SIBLING.test(name);
}

export interface StagedDir {
  /** Write the new folder's files here. */
  path: string;
  /** Swaps the staged folder in for the old one. */
  commit(): void;
  /** Removes the staged folder; the old one stays as it was. */
  discard(): void;
}

/**
 * Refuses (one line, InputError) to replace what is not an earlier output of the
 * same kind: `dir` must be absent, an empty folder, or a folder holding `marker`
 * (metrics.json for a run, ...), so a mistyped --out never removes a user's files.
 */
export function checkReplaceable(dir: string, marker: string): void {
  const abs = resolve(dir);
  if (abs === parse(abs).root) throw new InputError(`${dir}: the filesystem root cannot be an output folder`);
  if (!existsSync(abs)) return;
  if (!statSync(abs).isDirectory()) throw new InputError(`${dir}: exists and is not a folder`);
  if (readdirSync(abs).length > 0 && !existsSync(join(abs, marker))) {
    throw new InputError(`${dir}: exists and holds no ${marker}, so it is not an output this command wrote; not replacing it (remove it or choose another --out)`);
  }
}

/** Starts writing a new version of output folder `dir` (see checkReplaceable for `marker`). */
export function stageDir(dir: string, marker: string): StagedDir {
  checkReplaceable(dir, marker);
  const abs = resolve(dir);
  const parent = dirname(abs);
  const name = basename(abs);
  mkdirSync(parent, { recursive: true });
  removeStale(parent, name);
  const path = join(parent, `.${name}.new-${process.pid}`);
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path);
  return {
    path,
    commit() {
      const old = join(parent, `.${name}.old-${process.pid}`);
      const had = existsSync(abs);
      if (had) renameSync(abs, old);
      renameSync(path, abs);
      if (had) rmSync(old, { recursive: true, force: true });
    },
    discard() {
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** Writes output folder `dir` as a whole with `fill(stagedPath)`. */
export function replaceDir<T>(dir: string, marker: string, fill: (path: string) => T): T {
  const staged = stageDir(dir, marker);
  try {
    const result = fill(staged.path);
    staged.commit();
    return result;
  } catch (err) {
    staged.discard();
    throw err;
  }
}

/**
 * Siblings of `name` left by processes that no longer run. An old folder
 * renamed away by a process killed before it renamed the new one in is put
 * back (the folder is then the old output); anything else is removed.
 */
function removeStale(parent: string, name: string): void {
  for (const entry of readdirSync(parent)) {
    const m = SIBLING.exec(entry);
    if (!m || m[1] !== name || isRunning(Number(m[3]))) continue;
    const path = join(parent, entry);
    if (m[2] === 'old' && !existsSync(join(parent, name))) renameSync(path, join(parent, name));
    else rmSync(path, { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return false; // our own earlier, abandoned attempt
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
