import { describe, expect, test } from 'vitest';
import { flattenEvtxJson, isEvtxJsonShape, readEvtxJson } from '../../src/input/evtx-json.js';

const SYSMON = {
  Event: {
    '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
    System: {
      Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon', Guid: '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}' } },
      EventID: 1,
      Version: 5,
      Level: 4,
      TimeCreated: { '#attributes': { SystemTime: '2024-01-01T10:00:00.000000Z' } },
      EventRecordID: 4242,
      Correlation: null,
      Execution: { '#attributes': { ProcessID: 3100, ThreadID: 4080 } },
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      Computer: 'host1',
      Security: { '#attributes': { UserID: 'S-1-5-18' } },
    },
    EventData: {
      RuleName: '-',
      Image: 'C:\\Windows\\System32\\cmd.exe',
      CommandLine: 'cmd.exe /c whoami',
      ProcessId: 1234,
    },
  },
};

describe('isEvtxJsonShape', () => {
  test.each<[string, unknown, boolean]>([
    ['evtx_dump event', SYSMON, true],
    ['minimal', { Event: { System: {} } }, true],
    ['another top-level key', { Event: { System: {} }, x: 1 }, false],
    ['no System', { Event: { EventData: {} } }, false],
    ['System not an object', { Event: { System: 'x' } }, false],
    ['System an array', { Event: { System: [] } }, false],
    ['Event not an object', { Event: 'x' }, false],
    ['flat event', { EventID: 1 }, false],
    ['empty object', {}, false],
    ['array', [{ Event: { System: {} } }], false],
    ['null', null, false],
  ])('%s', (_name, event, expected) => {
    expect(isEvtxJsonShape(event)).toBe(expected);
  });
});

describe('readEvtxJson: the mapping of DESIGN.md section 2', () => {
  test('a Sysmon event', () => {
    expect(readEvtxJson(SYSMON)!.event).toEqual({
      Provider_Name: 'Microsoft-Windows-Sysmon',
      Provider_Guid: '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}',
      EventID: 1,
      Version: 5,
      Level: 4,
      TimeCreated_SystemTime: '2024-01-01T10:00:00.000000Z',
      EventRecordID: 4242,
      Correlation: null,
      Execution_ProcessID: 3100,
      Execution_ThreadID: 4080,
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      Computer: 'host1',
      Security_UserID: 'S-1-5-18',
      RuleName: '-',
      Image: 'C:\\Windows\\System32\\cmd.exe',
      CommandLine: 'cmd.exe /c whoami',
      ProcessId: 1234,
    });
  });
  // [name, Event contents, expected flat fields (a subset)]
  const CASES: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['#text of a System member', { System: { EventID: { '#text': 4688, '#attributes': { Qualifiers: 0 } } } }, { EventID: 4688, EventID_Qualifiers: 0 }],
    ['a member without #text gives only attributes', { System: { Provider: { '#attributes': { Name: 'P' } } } }, { Provider_Name: 'P' }],
    ['System wins over EventData', { System: { Computer: 'sys' }, EventData: { Computer: 'data' } }, { Computer: 'sys' }],
    ['System attribute (tier 1) wins over an EventData member (tier 2)', { System: { Provider: { '#attributes': { Name: 'sys' } } }, EventData: { Provider_Name: 'data' } }, { Provider_Name: 'sys' }],
    ['a System literal K_Y (tier 0) wins over the attribute (tier 1)', { System: { Provider_Name: 'literal', Provider: { '#attributes': { Name: 'attr' } } } }, { Provider_Name: 'literal' }],
    ['an EventData member (tier 2) wins over an EventData attribute (tier 3)', { System: {}, EventData: { Data_Name: 'member', Data: { '#text': 'x', '#attributes': { Name: 'attr' } } } }, { Data_Name: 'member', Data: 'x' }],
    ['EventData #attributes are skipped', { System: {}, EventData: { '#attributes': { Name: 'skip' }, A: 1 } }, { A: 1 }],
    ['EventData #text members', { System: {}, EventData: { A: { '#text': 'txt' } } }, { A: 'txt' }],
    ['EventData null and arrays', { System: {}, EventData: { N: null, L: ['a', 'b'] } }, { N: null, L: ['a', 'b'] }],
    ['array elements that are objects give their #text', { System: {}, EventData: { L: ['a', { '#text': 'b' }, { '#attributes': { x: 1 } }, 3] } }, { L: ['a', 'b', 3] }],
    ['other members of element objects are ignored', { System: {}, EventData: { A: { '#text': 't', child: 'ignored' } } }, { A: 't' }],
    ['UserData element members', { System: {}, UserData: { LogFileCleared: { SubjectUserName: 'bob', '#attributes': { xmlns: 'x' } } } }, { SubjectUserName: 'bob' }],
    ['UserData attributes of members', { System: {}, UserData: { E: { M: { '#text': 'm', '#attributes': { Y: 'y' } } } } }, { M: 'm', M_Y: 'y' }],
    ['EventData wins over UserData', { System: {}, EventData: { A: 'data' }, UserData: { E: { A: 'user' } } }, { A: 'data' }],
    ['same tier merges into an array (two UserData elements)', { System: {}, UserData: { E1: { A: 'one' }, E2: { A: ['two', 'three'] } } }, { A: ['one', 'two', 'three'] }],
    ['same tier merges (attribute names colliding)', { System: { X: { '#attributes': { Y_Z: 1 } }, X_Y: { '#attributes': { Z: 2 } } } }, { X_Y_Z: [1, 2] }],
    ['EventData as null', { System: { A: 1 }, EventData: null }, { A: 1 }],
  ];
  test.each(CASES)('%s', (_name, inner, expected) => {
    expect(readEvtxJson({ Event: inner })!.event).toMatchObject(expected);
  });
  test('an object member without #text gives no K', () => {
    const flat = readEvtxJson({ Event: { System: { Provider: { '#attributes': { Name: 'P' } } } } })!.event;
    expect(Object.hasOwn(flat, 'Provider')).toBe(false);
  });
  test('UserData attributes are not elements', () => {
    const flat = readEvtxJson({ Event: { System: {}, UserData: { '#attributes': { Y: 'attr' }, E: { A: 1 } } } })!.event;
    expect(flat).toEqual({ A: 1 });
  });
  test('EventData attributes are not fields', () => {
    const flat = readEvtxJson({ Event: { System: {}, EventData: { '#attributes': { Name: 'skip' } } } })!.event;
    expect(flat).toEqual({});
  });
  test('keyword values include shadowed ones', () => {
    const { values } = readEvtxJson({ Event: { System: { Computer: 'sys' }, EventData: { Computer: 'data', A: { '#text': 't', '#attributes': { Y: 'attr' } } } } })!;
    expect(values).toEqual(expect.arrayContaining(['sys', 'data', 't', 'attr']));
    expect(values).toHaveLength(4);
  });
  test('not evtx: null', () => {
    expect(readEvtxJson({ EventID: 1 })).toBeNull();
  });
  test('EventData and UserData names with spaces are also read without them (not System names), not as extra leaves', () => {
    const event = {
      Event: {
        System: { 'Odd Name': 1 },
        EventData: { 'Threat Name': 'Trojan:Win32/X', 'Source Name': { '#text': 's', '#attributes': { Y: 'y' } } },
        UserData: { E: { 'Process Name': 'p.exe' } },
      },
    };
    const { event: flat, values } = readEvtxJson(event)!;
    expect(flat).toEqual({
      'Odd Name': 1,
      'Threat Name': 'Trojan:Win32/X',
      ThreatName: 'Trojan:Win32/X',
      'Source Name': 's',
      SourceName: 's',
      'Source Name_Y': 'y',
      SourceName_Y: 'y',
      'Process Name': 'p.exe',
      ProcessName: 'p.exe',
    });
    expect(values).toHaveLength(5);
  });
  test('a name with spaces and the same name without them merge at their tier', () => {
    const { event: flat } = readEvtxJson({ Event: { System: {}, EventData: { 'Threat Name': 'a', ThreatName: 'b' } } })!;
    expect(flat.ThreatName).toEqual(['a', 'b']);
  });
});

describe('flattenEvtxJson', () => {
  test('flattens evtx events', () => {
    expect(flattenEvtxJson(SYSMON)).toMatchObject({ EventID: 1, Image: 'C:\\Windows\\System32\\cmd.exe' });
  });
  test('returns anything else unchanged', () => {
    const flat = { EventID: 1 };
    expect(flattenEvtxJson(flat)).toBe(flat);
    expect(flattenEvtxJson('x')).toBe('x');
  });
});
