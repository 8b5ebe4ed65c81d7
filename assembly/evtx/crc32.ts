// CRC-32 (RFC 1952, initial value 0) of .evtx chunk headers and records, table-driven. The table is computed on
// first use into static memory (1 KiB), so the module ships no table bytes.
@inline const POLYNOMIAL: u32 = 0xedb88320;
@inline const TABLE_ENTRIES: u32 = 256;

const table = memory.data(<i32>TABLE_ENTRIES * 4);
let tableReady: bool = false;

function buildTable(): void {
  for (let n: u32 = 0; n < TABLE_ENTRIES; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = (c & 1) != 0 ? POLYNOMIAL ^ (c >> 1) : c >> 1;
    store<u32>(table + (<usize>n << 2), c);
  }
  tableReady = true;
}

/** CRC-32 of [p, end), continuing from `crc` (0 to start). */
export function crc32(p: usize, end: usize, crc: u32 = 0): u32 {
  if (!tableReady) buildTable();
  let c = ~crc;
  while (p < end) {
    c = load<u32>(table + (<usize>((c ^ <u32>load<u8>(p)) & 0xff) << 2)) ^ (c >> 8);
    p++;
  }
  return ~c;
}
