// CRC-32 (RFC 1952, initial value 0) of .evtx chunk headers and records: every chunk's records are checksummed, so
// this is slicing-by-16 (sixteen 256-entry tables, 16 bytes per step). The tables are computed on first use into
// static memory (16 KiB), so the module ships no table bytes.
@inline const POLYNOMIAL: u32 = 0xedb88320;
@inline const TABLE_ENTRIES: u32 = 256;
@inline const TABLES: u32 = 16;
@inline const TABLE_BYTES: usize = <usize>TABLE_ENTRIES * 4;

const tables = memory.data(<i32>(TABLES * TABLE_ENTRIES * 4));
let tablesReady: bool = false;

@inline function entry(table: u32, i: u32): u32 {
  return load<u32>(tables + <usize>table * TABLE_BYTES + (<usize>i << 2));
}

function buildTables(): void {
  for (let n: u32 = 0; n < TABLE_ENTRIES; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = (c & 1) != 0 ? POLYNOMIAL ^ (c >> 1) : c >> 1;
    store<u32>(tables + (<usize>n << 2), c);
  }
  // Table t: the CRC of a byte followed by t zero bytes.
  for (let t: u32 = 1; t < TABLES; t++) {
    for (let n: u32 = 0; n < TABLE_ENTRIES; n++) {
      let prev = entry(t - 1, n);
      store<u32>(tables + <usize>t * TABLE_BYTES + (<usize>n << 2), (prev >> 8) ^ entry(0, prev & 0xff));
    }
  }
  tablesReady = true;
}

/** CRC-32 of [p, end), continuing from `crc` (0 to start). */
export function crc32(p: usize, end: usize, crc: u32 = 0): u32 {
  if (!tablesReady) buildTables();
  let c = ~crc;
  while (p + 16 <= end) {
    let a = load<u32>(p) ^ c;
    let b = load<u32>(p, 4);
    let d = load<u32>(p, 8);
    let e = load<u32>(p, 12);
    c = entry(15, a & 0xff) ^ entry(14, (a >> 8) & 0xff) ^ entry(13, (a >> 16) & 0xff) ^ entry(12, a >> 24) ^
      entry(11, b & 0xff) ^ entry(10, (b >> 8) & 0xff) ^ entry(9, (b >> 16) & 0xff) ^ entry(8, b >> 24) ^
      entry(7, d & 0xff) ^ entry(6, (d >> 8) & 0xff) ^ entry(5, (d >> 16) & 0xff) ^ entry(4, d >> 24) ^
      entry(3, e & 0xff) ^ entry(2, (e >> 8) & 0xff) ^ entry(1, (e >> 16) & 0xff) ^ entry(0, e >> 24);
    p += 16;
  }
  while (p < end) {
    c = entry(0, (c ^ <u32>load<u8>(p)) & 0xff) ^ (c >> 8);
    p++;
  }
  return ~c;
}
