// Where the CPU went, from the .cpuprofile files `--profile` takes per workload (inspector.ts):
// self time by function and by package, printed and written beside the profiles. Open a profile in Chrome
// DevTools (Performance → Load profile) for the whole picture.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Where a frame's code lives: a package, our code, Node itself, or V8's own buckets. */
function owner(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const ours = /\/(lib|gateway|subgraphs|bin)\/(.*)$/.exec(url);
  return ours ? `ours: ${ours[1]}/${ours[2]!.split('/')[0]}` : url;
}

/** Self time by function and by package, after skipping the first skipMs; idle excluded. */
export function summarise(file: string, skipMs = 0, top = 20): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let at = 0;
  let idle = 0;
  // Sample i took timeDeltas[i+1] µs (the gap to the next sample).
  p.samples.forEach((id, i) => {
    at += p.timeDeltas[i] ?? 0;
    if (at < skipMs * 1000) return;
    const us = p.timeDeltas[i + 1] ?? 0;
    if (byId.get(id)?.callFrame.functionName === '(idle)') idle += us;
    else self.set(id, (self.get(id) ?? 0) + us);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    const key = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(lib|gateway|subgraphs|bin)\//, '$1/')}:${lineNumber + 1}` : ''}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    const o = owner(url, functionName);
    pkg.set(o, (pkg.get(o) ?? 0) + us);
  }
  const list = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `  ${((us / total) * 100).toFixed(1).padStart(5)} %  ${k}`)
      .join('\n');
  const busy = `${(total / 1e6).toFixed(1)} s busy, ${(idle / 1e6).toFixed(1)} s idle${skipMs ? ` after the first ${(skipMs / 1000).toFixed(1)} s` : ''}`;
  return `${file}\n  ${busy}; shares are of busy time\n self time by package:\n${list(pkg)}\n self time by function:\n${list(fn)}\n`;
}

export function summariseProfiles(dir: string): void {
  if (!existsSync(dir)) return void console.log(`no profiles in ${dir}`);
  const text = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()
    .map((f) => summarise(join(dir, f)))
    .join('\n');
  writeFileSync(join(dir, 'summary.txt'), text);
  console.log(`\nCPU profiles (${dir}):\n${text}`);
}

// `tsx bench/profile.ts <dir>` summarises profiles made earlier.
if (process.argv[1]?.endsWith('profile.ts') && process.argv[2]) summariseProfiles(process.argv[2]);
