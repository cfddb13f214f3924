/**
 * Where a page's main thread spent its time, from a V8 CPU profile (the DevTools `Profiler`
 * domain's format): self time by function and by the script it lives in, garbage collection and
 * the browser's own work (`(program)`: style, layout, paint) apart.
 */

export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  }>;
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function share(part: number, whole: number): string {
  return `${((100 * part) / Math.max(1, whole)).toFixed(1)} %`;
}

function scriptOf(url: string): string {
  if (url === '') return '(browser)';
  const path = url.replace(/^[a-z]+:\/\/[^/]+/, '');
  const file = path.slice(path.lastIndexOf('/') + 1);
  return file === '' ? path : file;
}

/** Lines for a human: the whole, the main kinds of time, then the top functions by self time. */
export function profileSummary(profile: CpuProfile, top = 25): string[] {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const self = new Map<string, number>();
  const byScript = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    const frame = frames.get(id);
    if (!frame) return;
    total += delta;
    const name = frame.url
      ? `${frame.functionName || '(anonymous)'} ${scriptOf(frame.url)}:${frame.lineNumber + 1}`
      : frame.functionName;
    self.set(name, (self.get(name) ?? 0) + delta);
    const script = frame.url ? scriptOf(frame.url) : frame.functionName;
    byScript.set(script, (byScript.get(script) ?? 0) + delta);
  });
  const lines = [`profile: ${(total / 1e6).toFixed(1)} s sampled`];
  const kinds = [...byScript].sort((a, b) => b[1] - a[1]).slice(0, 8);
  lines.push(
    '  by kind: ' + kinds.map(([name, time]) => `${name} ${share(time, total)}`).join(', '),
  );
  for (const [name, time] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(
      `  ${share(time, total).padStart(7)}  ${(time / 1000).toFixed(0).padStart(6)} ms  ${name}`,
    );
  }
  return lines;
}
