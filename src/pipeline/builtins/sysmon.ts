/**
 * The built-in "sysmon" pipeline as YAML text, parsed by the same parser as pipeline files (src/pipeline/parse.ts), so
 * the text is also its documentation. "sigmatch pipelines show sysmon" prints it; docs/pipelines.md explains it.
 */
export const SYSMON_PIPELINE = String.raw`# sigmatch built-in pipeline "sysmon": the generic Windows categories of the Sigma taxonomy as Sysmon events.
# Each "category: X, product: windows" rule gets the condition "Channel: Microsoft-Windows-Sysmon/Operational and
# EventID: <the category's Sysmon event id(s)>" (Sigma taxonomy appendix, Windows folder; pySigma-pipeline-sysmon),
# so it only meets Sysmon events of its kind. The log source itself is left as it is, so other pipelines (windows:
# Security 4688 for process_creation) can still recognise the category.
name: sysmon
priority: 10
transformations:
  - id: sysmon_process_creation   # Sysmon 1: Process Create
    type: add_condition
    rule_conditions:
      - type: logsource
        category: process_creation
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID: 1
  - id: sysmon_file_change   # Sysmon 2: File creation time changed
    type: add_condition
    rule_conditions:
      - type: logsource
        category: file_change
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID: 2
  - id: sysmon_network_connection   # Sysmon 3: Network connection
    type: add_condition
    rule_conditions:
      - type: logsource
        category: network_connection
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID: 3
  - id: sysmon_sysmon_status   # Sysmon [4, 16]: Sysmon service state changed, Sysmon config state changed
    type: add_condition
    rule_conditions:
      - type: logsource
        category: sysmon_status
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID:
        - 4
        - 16
  - id: sysmon_process_termination   # Sysmon 5: Process terminated
    type: add_condition
    rule_conditions:
      - type: logsource
        category: process_termination
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID: 5
  - id: sysmon_driver_load   # Sysmon 6: Driver loaded
    type: add_condition
    rule_conditions:
      - type: logsource
        category: driver_load
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID: 6
  - id: sysmon_image_load   # Sysmon 7: Image loaded
    type: add_condition
    rule_conditions:
      - type: logsource
        category: image_load
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID: 7
  - id: sysmon_create_remote_thread   # Sysmon 8: CreateRemoteThread
    type: add_condition
    rule_conditions:
      - type: logsource
        category: create_remote_thread
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID: 8
  - id: sysmon_raw_access_thread   # Sysmon 9: RawAccessRead
    type: add_condition
    rule_conditions:
      - type: logsource
        category: raw_access_thread
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID: 9
  - id: sysmon_process_access   # Sysmon 10: ProcessAccess
    type: add_condition
    rule_conditions:
      - type: logsource
        category: process_access
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID: 10
  - id: sysmon_file_event   # Sysmon 11: FileCreate
    type: add_condition
    rule_conditions:
      - type: logsource
        category: file_event
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID: 11
  - id: sysmon_registry_add   # Sysmon 12: RegistryEvent (object create and delete)
    type: add_condition
    rule_conditions:
      - type: logsource
        category: registry_add
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID: 12
  - id: sysmon_registry_delete   # Sysmon 12: RegistryEvent (object create and delete)
    type: add_condition
    rule_conditions:
      - type: logsource
        category: registry_delete
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID: 12
  - id: sysmon_registry_set   # Sysmon 13: RegistryEvent (value set)
    type: add_condition
    rule_conditions:
      - type: logsource
        category: registry_set
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID: 13
  - id: sysmon_registry_rename   # Sysmon 14: RegistryEvent (key and value rename)
    type: add_condition
    rule_conditions:
      - type: logsource
        category: registry_rename
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID: 14
  - id: sysmon_registry_event   # Sysmon [12, 13, 14]: RegistryEvent (all three)
    type: add_condition
    rule_conditions:
      - type: logsource
        category: registry_event
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID:
        - 12
        - 13
        - 14
  - id: sysmon_create_stream_hash   # Sysmon 15: FileCreateStreamHash
    type: add_condition
    rule_conditions:
      - type: logsource
        category: create_stream_hash
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID: 15
  - id: sysmon_pipe_created   # Sysmon [17, 18]: PipeEvent (created, connected)
    type: add_condition
    rule_conditions:
      - type: logsource
        category: pipe_created
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID:
        - 17
        - 18
  - id: sysmon_wmi_event   # Sysmon [19, 20, 21]: WmiEvent (filter, consumer, binding)
    type: add_condition
    rule_conditions:
      - type: logsource
        category: wmi_event
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID:
        - 19
        - 20
        - 21
  - id: sysmon_dns_query   # Sysmon 22: DNSEvent
    type: add_condition
    rule_conditions:
      - type: logsource
        category: dns_query
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID: 22
  - id: sysmon_file_delete   # Sysmon [23, 26]: FileDelete (archived), FileDeleteDetected
    type: add_condition
    rule_conditions:
      - type: logsource
        category: file_delete
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID:
        - 23
        - 26
  - id: sysmon_clipboard_capture   # Sysmon 24: ClipboardChange
    type: add_condition
    rule_conditions:
      - type: logsource
        category: clipboard_capture
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID: 24
  - id: sysmon_process_tampering   # Sysmon 25: ProcessTampering
    type: add_condition
    rule_conditions:
      - type: logsource
        category: process_tampering
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID: 25
  - id: sysmon_file_delete_detected   # Sysmon 26: FileDeleteDetected
    type: add_condition
    rule_conditions:
      - type: logsource
        category: file_delete_detected
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID: 26
  - id: sysmon_file_block_executable   # Sysmon 27: FileBlockExecutable
    type: add_condition
    rule_conditions:
      - type: logsource
        category: file_block_executable
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID: 27
  - id: sysmon_file_block_shredding   # Sysmon 28: FileBlockShredding
    type: add_condition
    rule_conditions:
      - type: logsource
        category: file_block_shredding
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID: 28
  - id: sysmon_file_executable_detected   # Sysmon 29: FileExecutableDetected
    type: add_condition
    rule_conditions:
      - type: logsource
        category: file_executable_detected
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID: 29
  - id: sysmon_sysmon_error   # Sysmon 255: Error
    type: add_condition
    rule_conditions:
      - type: logsource
        category: sysmon_error
        product: windows
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
      EventID: 255
`;
