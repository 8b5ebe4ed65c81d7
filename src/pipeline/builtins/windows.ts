/**
 * The built-in "windows" pipeline as YAML text, parsed by the same parser as pipeline files (src/pipeline/parse.ts), so
 * the text is also its documentation. "sigmatch pipelines show windows" prints it; docs/pipelines.md explains it.
 */
export const WINDOWS_PIPELINE = String.raw`# sigmatch built-in pipeline "windows": Windows event log channels for the Sigma taxonomy's Windows services and
# PowerShell categories, and Security event 4688 as a second source of process_creation (a sigmatch extension).
#
# - "service: X, product: windows" rules get "Channel: <the service's channel(s)>" (taxonomy appendix, Service table;
#   pySigma's windows_logsource_mapping; SigmaHQ tests/thor.yml for the few the appendix lacks).
# - ps_module / ps_script / ps_classic_* rules get their EventID and PowerShell channel(s).
# - process_creation rules gain an alternative form ("type: sigmatch_alternative", not pySigma) that matches Security
#   4688 events: fields renamed as 4688 names them (Image -> NewProcessName, ...). With the sysmon pipeline too, such a
#   rule matches Sysmon event 1 with the Sysmon names OR Security 4688 with the 4688 names (docs/pipelines.md).
name: windows
priority: 10
transformations:
  - id: windows_ps_module   # EventID 4103: module logging
    type: add_condition
    rule_conditions:
      - type: logsource
        category: ps_module
        product: windows
    conditions:
      EventID: 4103
      Channel:
        - Microsoft-Windows-PowerShell/Operational
        - PowerShellCore/Operational
  - id: windows_ps_script   # EventID 4104: script block logging
    type: add_condition
    rule_conditions:
      - type: logsource
        category: ps_script
        product: windows
    conditions:
      EventID: 4104
      Channel:
        - Microsoft-Windows-PowerShell/Operational
        - PowerShellCore/Operational
  - id: windows_ps_classic_start   # EventID 400: engine state changed
    type: add_condition
    rule_conditions:
      - type: logsource
        category: ps_classic_start
        product: windows
    conditions:
      EventID: 400
      Channel: Windows PowerShell
  - id: windows_ps_classic_provider_start   # EventID 600: provider started
    type: add_condition
    rule_conditions:
      - type: logsource
        category: ps_classic_provider_start
        product: windows
    conditions:
      EventID: 600
      Channel: Windows PowerShell
  - id: windows_ps_classic_script   # EventID 800: pipeline execution details
    type: add_condition
    rule_conditions:
      - type: logsource
        category: ps_classic_script
        product: windows
    conditions:
      EventID: 800
      Channel: Windows PowerShell
  - id: windows_service_application
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: application
    conditions:
      Channel: Application
  - id: windows_service_application_experience
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: application-experience
    conditions:
      Channel:
        - Microsoft-Windows-Application-Experience/Program-Telemetry
        - Microsoft-Windows-Application-Experience/Program-Compatibility-Assistant
  - id: windows_service_applocker
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: applocker
    conditions:
      Channel:
        - Microsoft-Windows-AppLocker/MSI and Script
        - Microsoft-Windows-AppLocker/EXE and DLL
        - Microsoft-Windows-AppLocker/Packaged app-Deployment
        - Microsoft-Windows-AppLocker/Packaged app-Execution
  - id: windows_service_appmodel_runtime
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: appmodel-runtime
    conditions:
      Channel: Microsoft-Windows-AppModel-Runtime/Admin
  - id: windows_service_appxdeployment_server
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: appxdeployment-server
    conditions:
      Channel: Microsoft-Windows-AppXDeploymentServer/Operational
  - id: windows_service_appxpackaging_om
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: appxpackaging-om
    conditions:
      Channel: Microsoft-Windows-AppxPackaging/Operational
  - id: windows_service_bitlocker
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: bitlocker
    conditions:
      Channel: Microsoft-Windows-BitLocker/BitLocker Management
  - id: windows_service_bits_client
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: bits-client
    conditions:
      Channel: Microsoft-Windows-Bits-Client/Operational
  - id: windows_service_capi2
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: capi2
    conditions:
      Channel: Microsoft-Windows-CAPI2/Operational
  - id: windows_service_certificateservicesclient_lifecycle_system
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: certificateservicesclient-lifecycle-system
    conditions:
      Channel: Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational
  - id: windows_service_codeintegrity_operational
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: codeintegrity-operational
    conditions:
      Channel: Microsoft-Windows-CodeIntegrity/Operational
  - id: windows_service_dhcp
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: dhcp
    conditions:
      Channel: Microsoft-Windows-DHCP-Server/Operational
  - id: windows_service_diagnosis_scripted
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: diagnosis-scripted
    conditions:
      Channel: Microsoft-Windows-Diagnosis-Scripted/Operational
  - id: windows_service_dns_client
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: dns-client
    conditions:
      Channel: Microsoft-Windows-DNS Client Events/Operational
  - id: windows_service_dns_server
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: dns-server
    conditions:
      Channel: DNS Server
  - id: windows_service_dns_server_analytic
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: dns-server-analytic
    conditions:
      Channel: Microsoft-Windows-DNS-Server/Analytical
  - id: windows_service_dns_server_audit
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: dns-server-audit
    conditions:
      Channel: Microsoft-Windows-DNS-Server/Audit
  - id: windows_service_driver_framework
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: driver-framework
    conditions:
      Channel: Microsoft-Windows-DriverFrameworks-UserMode/Operational
  - id: windows_service_firewall_as
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: firewall-as
    conditions:
      Channel: Microsoft-Windows-Windows Firewall With Advanced Security/Firewall
  - id: windows_service_hyper_v_worker
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: hyper-v-worker
    conditions:
      Channel: Microsoft-Windows-Hyper-V-Worker
  - id: windows_service_iis_configuration
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: iis-configuration
    conditions:
      Channel: Microsoft-IIS-Configuration/Operational
  - id: windows_service_kernel_event_tracing
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: kernel-event-tracing
    conditions:
      Channel: Microsoft-Windows-Kernel-EventTracing
  - id: windows_service_kernel_shimengine
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: kernel-shimengine
    conditions:
      Channel:
        - Microsoft-Windows-Kernel-ShimEngine/Operational
        - Microsoft-Windows-Kernel-ShimEngine/Diagnostic
  - id: windows_service_ldap
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: ldap
    conditions:
      Channel: Microsoft-Windows-LDAP-Client/Debug
  - id: windows_service_ldap_debug
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: ldap_debug
    conditions:
      Channel: Microsoft-Windows-LDAP-Client/Debug
  - id: windows_service_lsa_server
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: lsa-server
    conditions:
      Channel: Microsoft-Windows-LSA/Operational
  - id: windows_service_msexchange_management
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: msexchange-management
    conditions:
      Channel: MSExchange Management
  - id: windows_service_ntfs
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: ntfs
    conditions:
      Channel: Microsoft-Windows-Ntfs/Operational
  - id: windows_service_ntlm
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: ntlm
    conditions:
      Channel: Microsoft-Windows-NTLM/Operational
  - id: windows_service_openssh
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: openssh
    conditions:
      Channel: OpenSSH/Operational
  - id: windows_service_powershell
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: powershell
    conditions:
      Channel:
        - Microsoft-Windows-PowerShell/Operational
        - PowerShellCore/Operational
  - id: windows_service_powershell_classic
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: powershell-classic
    conditions:
      Channel: Windows PowerShell
  - id: windows_service_printservice_admin
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: printservice-admin
    conditions:
      Channel: Microsoft-Windows-PrintService/Admin
  - id: windows_service_printservice_operational
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: printservice-operational
    conditions:
      Channel: Microsoft-Windows-PrintService/Operational
  - id: windows_service_security
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: security
    conditions:
      Channel: Security
  - id: windows_service_security_mitigations
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: security-mitigations
    conditions:
      Channel:
        - Microsoft-Windows-Security-Mitigations/Kernel Mode
        - Microsoft-Windows-Security-Mitigations/User Mode
  - id: windows_service_sense
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: sense
    conditions:
      Channel: Microsoft-Windows-SENSE/Operational
  - id: windows_service_servicebus_client
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: servicebus-client
    conditions:
      Channel:
        - Microsoft-ServiceBus-Client/Operational
        - Microsoft-ServiceBus-Client/Admin
  - id: windows_service_microsoft_servicebus_client
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: microsoft-servicebus-client
    conditions:
      Channel:
        - Microsoft-ServiceBus-Client
        - Microsoft-ServiceBus-Client/Operational
        - Microsoft-ServiceBus-Client/Admin
  - id: windows_service_shell_core
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: shell-core
    conditions:
      Channel: Microsoft-Windows-Shell-Core/Operational
  - id: windows_service_smbclient_connectivity
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: smbclient-connectivity
    conditions:
      Channel: Microsoft-Windows-SmbClient/Connectivity
  - id: windows_service_smbclient_security
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: smbclient-security
    conditions:
      Channel: Microsoft-Windows-SmbClient/Security
  - id: windows_service_smbserver_connectivity
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: smbserver-connectivity
    conditions:
      Channel: Microsoft-Windows-SMBServer/Connectivity
  - id: windows_service_sysmon
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: sysmon
    conditions:
      Channel: Microsoft-Windows-Sysmon/Operational
  - id: windows_service_system
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: system
    conditions:
      Channel: System
  - id: windows_service_taskscheduler
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: taskscheduler
    conditions:
      Channel: Microsoft-Windows-TaskScheduler/Operational
  - id: windows_service_terminalservices_localsessionmanager
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: terminalservices-localsessionmanager
    conditions:
      Channel: Microsoft-Windows-TerminalServices-LocalSessionManager/Operational
  - id: windows_service_vhdmp
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: vhdmp
    conditions:
      Channel: Microsoft-Windows-VHDMP/Operational
  - id: windows_service_windefend
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: windefend
    conditions:
      Channel: Microsoft-Windows-Windows Defender/Operational
  - id: windows_service_wmi
    type: add_condition
    rule_conditions:
      - type: logsource
        product: windows
        service: wmi
    conditions:
      Channel: Microsoft-Windows-WMI-Activity/Operational
  # Security 4688 (audit process creation, with command line auditing enabled) as an alternative source of
  # process_creation. Runs after the service items, so its own Channel condition is not added twice.
  - id: windows_process_creation_security_4688
    type: sigmatch_alternative   # sigmatch extension: the rule also matches the form these items produce
    rule_conditions:
      - type: logsource
        category: process_creation
        product: windows
    items:
      - id: security_4688_logsource
        type: change_logsource   # the alternative is a Security event (later pipelines see service: security)
        product: windows
        service: security
      - id: security_4688_event
        type: add_condition
        conditions:
          Channel: Security
          EventID: 4688
      - id: security_4688_fields
        type: field_name_mapping
        mapping:
          Image: NewProcessName
          ParentImage: ParentProcessName
          IntegrityLevel: MandatoryLabel   # rules list the label SIDs too (S-1-16-12288, ...)
          LogonId: SubjectLogonId
          # 4688 names the creating account (Subject*) in two fields where Sysmon writes DOMAIN\user for the new
          # process: "User|contains: AUTHORI" still works, "User: DOMAIN\user" cannot. See docs/pipelines.md.
          User:
            - SubjectUserName
            - SubjectDomainName
`;
