/**
 * The built-in "ecs-windows" pipeline as YAML text, parsed by the same parser as pipeline files (src/pipeline/parse.ts), so
 * the text is also its documentation. "sigmatch pipelines show ecs-windows" prints it; docs/pipelines.md explains it.
 */
export const ECS_WINDOWS_PIPELINE = String.raw`# sigmatch built-in pipeline "ecs-windows": Windows events as Winlogbeat (7+) ships them in Elastic Common Schema
# documents. Resolving "ecs-windows" also brings in the built-ins "sysmon" and "windows" (priority 10), whose routes
# (EventID / Channel, the Security 4688 alternative) this pipeline (priority 20) then renames with everything else:
# EventID -> winlog.event_id or event.code, Channel -> winlog.channel, Image -> process.executable, ...
#
# The mapping follows pySigma-backend-elasticsearch's ecs_windows pipeline (per-log-source mappings first, then the
# general mapping, then winlog.event_data.<Name> for every field neither mapped), with the deviations noted inline and
# in docs/pipelines.md.
name: ecs-windows
priority: 20
transformations:
  - id: ecs_process_creation_fields   # Sysmon process creation (Winlogbeat sysmon module)
    type: field_name_mapping
    rule_conditions:
      - type: logsource
        category: process_creation
        product: windows
    mapping:
      CommandLine: process.command_line
      FileVersion: process.pe.file_version
      Description: process.pe.description
      Product: process.pe.product
      Company: process.pe.company
      OriginalFileName: process.pe.original_file_name
  - id: ecs_image_load_fields   # image loads
    type: field_name_mapping
    rule_conditions:
      - type: logsource
        category: image_load
        product: windows
    mapping:
      FileVersion: file.pe.file_version
      Description: file.pe.description
      Product: file.pe.product
      Company: file.pe.company
      OriginalFileName: file.pe.original_file_name
      Signature: file.code_signature.subject_name
  - id: ecs_driver_load_fields   # driver loads
    type: field_name_mapping
    rule_conditions:
      - type: logsource
        category: driver_load
        product: windows
    mapping:
      Signature: file.code_signature.subject_name
  - id: ecs_network_connection_fields   # network connections
    type: field_name_mapping
    rule_conditions:
      - type: logsource
        category: network_connection
        product: windows
    mapping:
      Protocol: network.transport
  - id: ecs_security_fields   # Security events (Winlogbeat security module)
    type: field_name_mapping
    rule_conditions:
      - type: logsource
        service: security
        product: windows
    mapping:
      CommandLine: process.command_line
      SubjectLogonId: winlog.logon.id
      ServiceName: service.name
      SubjectDomainName: user.domain
      SubjectUserName: user.name
      SubjectUserSid: user.id
      ProcessId: process.parent.pid
  - id: ecs_powershell_classic_fields   # classic PowerShell events
    type: field_name_mapping
    rule_conditions:
      - type: logsource
        service: powershell-classic
        product: windows
    mapping:
      CommandLine: powershell.command.value
      EngineVersion: powershell.engine.version
      HostVersion: powershell.process.executable_version
  - id: ecs_windows_field_mapping
    type: field_name_mapping
    rule_conditions:
      - type: logsource
        product: windows
    mapping:
      EventID:   # Winlogbeat writes both; either matches
        - winlog.event_id
        - event.code
      Channel: winlog.channel
      Provider_Name: winlog.provider_name
      Provider_Guid: winlog.provider_guid
      Computer: winlog.computer_name   # the System element; not in pySigma
      ComputerName: winlog.computer_name
      EventRecordID: winlog.record_id
      Task: winlog.task
      Opcode: winlog.opcode
      Keywords: winlog.keywords
      Version: winlog.version
      Security_UserID: winlog.user.identifier
      Execution_ProcessID: winlog.process.pid
      Execution_ThreadID: winlog.process.thread.id
      FileName: file.path
      ProcessGuid: process.entity_id
      ProcessId: process.pid
      Image: process.executable
      CurrentDirectory: process.working_directory
      ParentProcessGuid: process.parent.entity_id
      ParentProcessId: process.parent.pid
      ParentImage: process.parent.executable
      ParentCommandLine: process.parent.command_line
      TargetFilename: file.path
      SourceIp: source.ip
      SourceHostname: source.domain
      SourcePort: source.port
      DestinationIp: destination.ip
      DestinationHostname: destination.domain
      DestinationPort: destination.port
      DestinationPortName: network.protocol
      ImageLoaded: file.path
      Signed: file.code_signature.signed
      SignatureStatus: file.code_signature.status
      Imphash: file.pe.imphash
      SourceProcessGuid: process.entity_id
      SourceProcessId: process.pid
      SourceImage: process.executable
      Device: file.path
      SourceThreadId: process.thread.id
      TargetObject: registry.path
      PipeName: file.name
      Destination: process.executable
      QueryName: dns.question.name
      QueryStatus: sysmon.dns.status
      IsExecutable: sysmon.file.is_executable
      Archived: sysmon.file.archived
      CommandName: powershell.command.name
      CommandPath: powershell.command.path
      CommandType: powershell.command.type
      HostApplication: process.command_line
      HostId: process.entity_id
      HostName: process.title
      NewEngineState: powershell.engine.new_state
      PipelineId: powershell.pipeline_id
      PreviousEngineState: powershell.engine.previous_state
      RunspaceId: powershell.runspace_id
      ScriptName: file.path
      SequenceNumber: event.sequence
      NewProviderState: powershell.provider.new_state
      ProviderName: powershell.provider.name
      MessageNumber: powershell.sequence
      MessageTotal: powershell.total
      ScriptBlockText: powershell.file.script_block_text
      ScriptBlockId: powershell.file.script_block_id
      AccountDomain: user.domain
      AccountName: user.name
      Application: process.executable
      ClientAddress: source.ip
      ClientName: source.domain
      DestAddress: destination.ip
      DestPort: destination.port
      IpAddress: source.ip
      IpPort: source.port
      NewProcessId: process.pid
      NewProcessName: process.executable
      ParentProcessName: process.parent.executable   # pySigma: process.parent.name (the 4688 value is a full path)
      ProcessName: process.executable
      SourceAddress: source.ip
      TargetDomainName: user.target.domain   # pySigma: user.domain (taken by SubjectDomainName in the same event)
      TargetUserName: user.target.name   # not in pySigma; Winlogbeat security module
      User: user.name
      WorkstationName: source.domain
      Payload: powershell.file.script_block_text
  # Every other field: Winlogbeat keeps the event's data under winlog.event_data.
  - id: ecs_windows_winlog_eventdata_prefix
    type: field_name_prefix
    prefix: winlog.event_data.
    rule_conditions:
      - type: logsource
        product: windows
    field_name_conditions:
      - type: processing_item_applied   # renamed by the general mapping
        processing_item_id: ecs_windows_field_mapping
      - type: include_fields            # or already an ECS name (renamed by a per-log-source mapping)
        fields:
          - '\w+\.'
        mode: re
    field_name_cond_op: or
    field_name_cond_not: true
`;
