// Child processes for the benchmark: every service runs in its own `node --import tsx …` process,
// as in production, so the figures include real HTTP hops and no shared event loop.
// Every child is tracked here so that an error or Ctrl-C still stops all of them.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Child {
  name: string;
  pid: number;
  logFile: string;
  /** Exit code (or signal name) once the process is gone, else undefined. */
  readonly exit: number | string | undefined;
  /** SIGTERM, then SIGKILL after timeoutMs; true when it had to be killed. */
  stop(timeoutMs?: number): Promise<boolean>;
}

/** Children that did not exit on SIGTERM within the timeout (a finding worth reporting). */
export const killed: string[] = [];

const running = new Set<Child>();
/** Set once the run is shutting down: nothing new may start after that. */
let closing = false;

// Last resort: if the runner dies without its cleanup, no service outlives it.
process.on('exit', () => {
  for (const c of running) {
    try {
      process.kill(c.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

export interface SpawnOptions {
  /** Script and arguments, relative to the repository root. */
  args: string[];
  env: Record<string, string>;
  logDir: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
  /** Plain JavaScript (the compiled build): run without tsx's loader. */
  plain?: boolean;
}

export function spawnChild(name: string, options: SpawnOptions): Child {
  if (closing) throw new Error(`not starting ${name}: the run is stopping`);
  mkdirSync(options.logDir, { recursive: true });
  const logFile = join(options.logDir, `${name}.log`);
  // Output goes to a file, not a pipe: a service under load must never block on our reading.
  const fd = openSync(logFile, 'a');
  let proc: ChildProcess;
  try {
    proc = spawn(process.execPath, [...(options.nodeFlags ?? []), ...(options.plain ? [] : ['--import', 'tsx']), ...options.args], {
      cwd: ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  let exit: number | string | undefined;
  const exited = new Promise<void>((resolve) =>
    proc.once('exit', (code, signal) => {
      exit = code ?? signal ?? 'unknown';
      running.delete(child);
      resolve();
    }),
  );
  const child: Child = {
    name,
    pid: proc.pid!,
    logFile,
    get exit() {
      return exit;
    },
    async stop(timeoutMs = 5000) {
      if (exit !== undefined) return false;
      proc.kill('SIGTERM');
      const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref());
      if ((await Promise.race([exited.then(() => 'done' as const), timer])) === 'done') return false;
      killed.push(name);
      proc.kill('SIGKILL');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000).unref())]);
      return true;
    },
  };
  running.add(child);
  return child;
}

/** Stops every child still running, all at once (each SIGTERM, then SIGKILL). */
export async function stopAllChildren(): Promise<void> {
  closing = true;
  await Promise.all([...running].map((c) => c.stop()));
}

export { freePort } from '../lib/platform/net.js';

export function logTail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Polls until probe() resolves true; fails at once if the child exits (with its log's tail),
 * or after timeoutMs.
 */
export async function waitReady(child: Child, probe: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exit !== undefined) throw new Error(`${child.name} exited (${child.exit}) while starting:\n${logTail(child.logFile)}`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${child.name} not ready after ${timeoutMs} ms:\n${logTail(child.logFile)}`);
}

/** GET url answers 2xx. */
export const httpOk = (url: string) => async () => (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;

/** Resident memory of a process in bytes, from /proc (Linux), or null elsewhere. */
export function rssBytes(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}
