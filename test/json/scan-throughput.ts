/**
 * Scratch measurement (not a test): scan + extract throughput of the VM's JSON scanner over a synthetic 100 MB
 * NDJSON of Sysmon-like process-creation events (~0.8 KB, ~31 keys, Windows paths with escaped backslashes), with
 * 20 referenced fields. Builds the test exports with the release options (-O3, no asserts) into a temp file.
 *
 *   npx tsx test/json/scan-throughput.ts [megabytes] [--evtx]
 *
 * With --evtx the same events are written as evtx_dump does: pretty-printed {"Event": {"System": ...,
 * "EventData": ...}} objects one after another (System members with #attributes), read through the evtx mapping.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as C from '../../src/runtime/context.js';
import { buildFieldTrie } from '../../src/compiler/field-trie.js';

const MB = 1 << 20;
const CHUNK = 4 * MB;
const PAD = 16;
const target = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 100) * MB;
const evtx = process.argv.includes('--evtx');

const FIELDS = [
  'Image', 'CommandLine', 'ParentImage', 'ParentCommandLine', 'User', 'EventID', 'Computer', 'Channel', 'OriginalFileName',
  'Description', 'Product', 'Company', 'IntegrityLevel', 'Hashes', 'CurrentDirectory', 'ParentUser', 'ProcessId', 'LogonId',
  'Provider_Name', 'TargetFilename',
];

function event(i: number): string {
  return evtx ? evtxText(flatEvent(i)) : JSON.stringify(flatEvent(i));
}

/** The flat event as evtx_dump writes it. */
function evtxText(e: Record<string, unknown>): string {
  const system: Record<string, unknown> = {
    Provider: { '#attributes': { Name: e.Provider_Name, Guid: '{5770385f-c22a-43e0-bf4c-06f5698ffbd9}' } },
    EventID: e.EventID,
    Level: e.Level,
    Task: e.Task,
    TimeCreated: { '#attributes': { SystemTime: e.UtcTime } },
    EventRecordID: e.RecordNumber,
    Execution: { '#attributes': { ProcessID: 3000, ThreadID: 4000 } },
    Channel: e.Channel,
    Computer: e.Computer,
    Security: { '#attributes': { UserID: 'S-1-5-18' } },
  };
  const data: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) if (!(k in system) && !['Provider_Name', 'RecordNumber', 'Level', 'Task'].includes(k)) data[k] = v;
  return JSON.stringify({ Event: { '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' }, System: system, EventData: data } }, null, 2);
}

function flatEvent(i: number): Record<string, unknown> {
  const exe = ['cmd.exe', 'powershell.exe', 'rundll32.exe', 'svchost.exe', 'conhost.exe', 'wmic.exe'][i % 6];
  const guid = `{${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}-1a2b-${(i % 1e6).toString().padStart(6, '0')}}`;
  return {
    EventID: 1,
    Provider_Name: 'Microsoft-Windows-Sysmon',
    Channel: 'Microsoft-Windows-Sysmon/Operational',
    Computer: `WORKSTATION-${i % 500}.corp.example.com`,
    Level: 4,
    Task: 1,
    RecordNumber: 1000000 + i,
    RuleName: '-',
    UtcTime: `2024-05-0${1 + (i % 9)} 12:${String(i % 60).padStart(2, '0')}:00.123`,
    ProcessGuid: guid,
    ProcessId: 1000 + (i % 60000),
    Image: `C:\\Windows\\System32\\${exe}`,
    Description: 'Windows Command Processor',
    Product: 'Microsoft® Windows®',
    Company: 'Microsoft Corporation',
    OriginalFileName: exe.toUpperCase(),
    CommandLine: `${exe} /c echo ${i}`,
    CurrentDirectory: 'C:\\Windows\\system32\\',
    User: 'CORP\\alice',
    LogonGuid: guid,
    LogonId: `0x${(i * 7919).toString(16)}`,
    TerminalSessionId: 1,
    IntegrityLevel: 'High',
    Hashes: `MD5=${(i * 40503 >>> 0).toString(16).padStart(8, '0').repeat(4)}`,
    ParentProcessGuid: guid,
    ParentProcessId: 4 + (i % 900),
    ParentImage: 'C:\\Windows\\explorer.exe',
    ParentCommandLine: 'C:\\Windows\\Explorer.EXE',
    ParentUser: 'CORP\\alice',
  };
}

const lines: string[] = [];
let size = 0;
for (let i = 0; size < target; i++) {
  const l = `${event(i)}\n`;
  lines.push(l);
  size += l.length;
}
const input = new TextEncoder().encode(lines.join(''));
const events = lines.length;

const wasmPath = join(tmpdir(), 'sigmatch-json-bench.wasm');
execFileSync('npx', ['asc', 'assembly/test/index.ts', '-O3', '--noAssert', '--runtime', 'stub', '--enable', 'simd', ...(process.env.PROFILE ? ['--debug'] : []), '-o', wasmPath], {
  stdio: 'inherit',
});
const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmPath)), { env: { abort: () => { throw new Error('abort'); } } });
const ex = instance.exports as Record<string, any>;
const memory = ex.memory as WebAssembly.Memory;
let top = (Number(ex.testHeapBase()) + 15) & ~15;
const alloc = (n: number): number => {
  const p = top;
  top = (top + n + PAD + 15) & ~15;
  const need = top - memory.buffer.byteLength;
  if (need > 0) memory.grow(Math.ceil(need / 65536));
  return p;
};
const trieBytes = buildFieldTrie([...FIELDS, null]).bytes;
const trie = alloc(trieBytes.length);
new Uint8Array(memory.buffer).set(trieBytes, trie);
const scratch = alloc(Number(ex.jsonScannerScratchBytes(trie)));
const nSlots = FIELDS.length + 1;
const slots = alloc(Number(ex.jsonSlotTableBytes(nSlots)));
const valueCap = 4096;
const values = alloc(valueCap * 24);
const arenaBytes = 1 * MB;
const arena = alloc(arenaBytes);
const ctx = alloc(C.CTX_BYTES);
const notes = alloc(1024 * C.NOTE_BYTES);
const inputPtr = alloc(CHUNK + 64 * 1024);
ex.jsonScannerAttach(trie, scratch);
ex.jsonStoreAttach(slots, nSlots, values, valueCap, arena, arenaBytes);

function run(): { scanMs: number; cpuMs: number; totalMs: number; count: number } {
  const u32 = new Uint32Array(memory.buffer);
  const u8 = new Uint8Array(memory.buffer);
  const set = (f: number, v: number): void => {
    u32[(ctx + f) >>> 2] = v;
  };
  let scanMs = 0;
  let cpuMs = 0;
  let count = 0;
  let offset = 0;
  let lineBase = 1;
  let eventBase = 0;
  let framing = 0;
  const t0 = performance.now();
  while (offset < input.length) {
    const len = Math.min(CHUNK, input.length - offset);
    const final = offset + len === input.length;
    u8.set(input.subarray(offset, offset + len), inputPtr);
    set(C.CTX_INPUT_PTR, inputPtr);
    set(C.CTX_INPUT_LEN, len);
    set(C.CTX_EVENT_BASE, eventBase);
    set(C.CTX_LINE_BASE, lineBase);
    set(C.CTX_FLAGS, (final ? C.FLAG_FINAL : 0) | C.FLAG_EVTX_JSON);
    set(C.CTX_FRAMING, framing);
    set(C.CTX_NOTES_PTR, notes);
    set(C.CTX_NOTES_CAP, 1024);
    const t = performance.now();
    const cpu = process.cpuUsage();
    count += ex.jsonScanCount(ctx);
    const used = process.cpuUsage(cpu);
    scanMs += performance.now() - t;
    cpuMs += (used.user + used.system) / 1000;
    if (u32[(ctx + C.CTX_STATUS) >>> 2] !== 0) throw new Error(`status ${u32[(ctx + C.CTX_STATUS) >>> 2]}`);
    if (u32[(ctx + C.CTX_NOTE_COUNT) >>> 2] !== 0) throw new Error('notes');
    offset += u32[(ctx + C.CTX_CONSUMED) >>> 2];
    eventBase += u32[(ctx + C.CTX_EVENT_COUNT) >>> 2];
    lineBase += u32[(ctx + C.CTX_LINE_COUNT) >>> 2];
    framing = u32[(ctx + C.CTX_FRAMING) >>> 2];
  }
  return { scanMs, cpuMs, totalMs: performance.now() - t0, count };
}

console.log(
  `${(input.length / MB).toFixed(1)} MB, ${events} events (${(input.length / events).toFixed(0)} B/event), ` +
    `${FIELDS.length} referenced fields${evtx ? ', evtx_dump (pretty-printed, concatenated)' : ', NDJSON'}`,
);
run(); // warm-up: V8 tiers the module up
// The machine may be shared: report the best of several runs, by wall time and by this process's CPU time.
let best = Infinity;
let bestCpu = Infinity;
let bestTotal = Infinity;
for (let i = 0; i < 7; i++) {
  const r = run();
  if (r.count !== events) throw new Error(`scanned ${r.count} of ${events}`);
  best = Math.min(best, r.scanMs);
  bestCpu = Math.min(bestCpu, r.cpuMs);
  bestTotal = Math.min(bestTotal, r.totalMs);
}
const mbs = (ms: number): string => (input.length / MB / (ms / 1000)).toFixed(0);
console.log(
  `scan + extract: ${mbs(best)} MB/s wall, ${mbs(bestCpu)} MB/s CPU time (${(events / (best / 1000) / 1e6).toFixed(2)} M events/s); ` +
    `with copying chunks in: ${mbs(bestTotal)} MB/s`,
);
