/*
 * unit.c - systemd unit syntax (systemd.syntax(7)) for units, drop-ins and
 * system.conf: sections, `#`/`;` comments, `\` continuations; the table of
 * known Section.Key (from systemd's load-fragment-gperf); Limit*= values and
 * Environment= words. Values keep quotes and specifiers as written.
 */
#include "parse/parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/lines.h"

/* ---- the key table -------------------------------------------------------
 * "Exec" rows are the exec, kill and cgroup settings shared by [Service],
 * [Socket], [Mount] and [Swap] (cgroup ones by [Slice] and [Scope] too).
 * list: repeated assignments accumulate and an empty one resets. */
static const unit_key_info unit_keys[] = {
    {"Exec", "AllowedCPUs", UV_CPUSET, true},
    {"Exec", "AllowedMemoryNodes", UV_STRING, true},
    {"Exec", "AmbientCapabilities", UV_STRING, true},
    {"Exec", "AppArmorProfile", UV_STRING, false},
    {"Exec", "BPFDelegateAttachments", UV_STRING, false},
    {"Exec", "BPFDelegateCommands", UV_STRING, false},
    {"Exec", "BPFDelegateMaps", UV_STRING, false},
    {"Exec", "BPFDelegatePrograms", UV_STRING, false},
    {"Exec", "BPFProgram", UV_STRING, true},
    {"Exec", "BindLogSockets", UV_STRING, false},
    {"Exec", "BindPaths", UV_STRING, true},
    {"Exec", "BindReadOnlyPaths", UV_STRING, true},
    {"Exec", "BlockIOAccounting", UV_STRING, false},
    {"Exec", "BlockIODeviceWeight", UV_STRING, true},
    {"Exec", "BlockIOReadBandwidth", UV_STRING, true},
    {"Exec", "BlockIOWeight", UV_STRING, false},
    {"Exec", "BlockIOWriteBandwidth", UV_STRING, true},
    {"Exec", "CPUAccounting", UV_STRING, false},
    {"Exec", "CPUAffinity", UV_CPUSET, true},
    {"Exec", "CPUQuota", UV_CPUQUOTA, false},
    {"Exec", "CPUQuotaPeriodSec", UV_STRING, false},
    {"Exec", "CPUSchedulingPolicy", UV_STRING, false},
    {"Exec", "CPUSchedulingPriority", UV_STRING, false},
    {"Exec", "CPUSchedulingResetOnFork", UV_STRING, false},
    {"Exec", "CPUShares", UV_STRING, false},
    {"Exec", "CPUWeight", UV_STRING, false},
    {"Exec", "CacheDirectory", UV_STRING, true},
    {"Exec", "CacheDirectoryAccounting", UV_STRING, false},
    {"Exec", "CacheDirectoryMode", UV_STRING, false},
    {"Exec", "CacheDirectoryQuota", UV_STRING, false},
    {"Exec", "Capabilities", UV_STRING, false},
    {"Exec", "CapabilityBoundingSet", UV_STRING, true},
    {"Exec", "ConfigurationDirectory", UV_STRING, true},
    {"Exec", "ConfigurationDirectoryMode", UV_STRING, false},
    {"Exec", "CoredumpFilter", UV_STRING, false},
    {"Exec", "CoredumpReceive", UV_STRING, false},
    {"Exec", "DefaultMemoryLow", UV_STRING, false},
    {"Exec", "DefaultMemoryMin", UV_STRING, false},
    {"Exec", "DefaultStartupMemoryLow", UV_STRING, false},
    {"Exec", "Delegate", UV_STRING, false},
    {"Exec", "DelegateNamespaces", UV_STRING, false},
    {"Exec", "DelegateSubgroup", UV_STRING, false},
    {"Exec", "DeviceAllow", UV_STRING, true},
    {"Exec", "DevicePolicy", UV_STRING, false},
    {"Exec", "DisableControllers", UV_STRING, true},
    {"Exec", "DynamicUser", UV_STRING, false},
    {"Exec", "Environment", UV_ENV, true},
    {"Exec", "EnvironmentFile", UV_ENVFILE, true},
    {"Exec", "ExecPaths", UV_STRING, true},
    {"Exec", "ExecSearchPath", UV_STRING, true},
    {"Exec", "ExtensionDirectories", UV_STRING, true},
    {"Exec", "ExtensionImagePolicy", UV_STRING, false},
    {"Exec", "ExtensionImages", UV_STRING, true},
    {"Exec", "FinalKillSignal", UV_STRING, false},
    {"Exec", "Group", UV_STRING, false},
    {"Exec", "IOAccounting", UV_STRING, false},
    {"Exec", "IODeviceLatencyTargetSec", UV_STRING, true},
    {"Exec", "IODeviceWeight", UV_STRING, true},
    {"Exec", "IOReadBandwidthMax", UV_STRING, true},
    {"Exec", "IOReadIOPSMax", UV_STRING, true},
    {"Exec", "IOSchedulingClass", UV_STRING, false},
    {"Exec", "IOSchedulingPriority", UV_STRING, false},
    {"Exec", "IOWeight", UV_STRING, false},
    {"Exec", "IOWriteBandwidthMax", UV_STRING, true},
    {"Exec", "IOWriteIOPSMax", UV_STRING, true},
    {"Exec", "IPAccounting", UV_STRING, false},
    {"Exec", "IPAddressAllow", UV_STRING, true},
    {"Exec", "IPAddressDeny", UV_STRING, true},
    {"Exec", "IPCNamespacePath", UV_STRING, false},
    {"Exec", "IPEgressFilterPath", UV_STRING, true},
    {"Exec", "IPIngressFilterPath", UV_STRING, true},
    {"Exec", "IgnoreSIGPIPE", UV_STRING, false},
    {"Exec", "ImportCredential", UV_STRING, true},
    {"Exec", "InaccessibleDirectories", UV_STRING, true},
    {"Exec", "InaccessiblePaths", UV_STRING, true},
    {"Exec", "KeyringMode", UV_STRING, false},
    {"Exec", "KillMode", UV_STRING, false},
    {"Exec", "KillSignal", UV_STRING, false},
    {"Exec", "LandlockConfig", UV_STRING, false},
    {"Exec", "LimitAS", UV_RLIMIT, false},
    {"Exec", "LimitCORE", UV_RLIMIT, false},
    {"Exec", "LimitCPU", UV_RLIMIT, false},
    {"Exec", "LimitDATA", UV_RLIMIT, false},
    {"Exec", "LimitFSIZE", UV_RLIMIT, false},
    {"Exec", "LimitLOCKS", UV_RLIMIT, false},
    {"Exec", "LimitMEMLOCK", UV_RLIMIT, false},
    {"Exec", "LimitMSGQUEUE", UV_RLIMIT, false},
    {"Exec", "LimitNICE", UV_RLIMIT, false},
    {"Exec", "LimitNOFILE", UV_RLIMIT, false},
    {"Exec", "LimitNPROC", UV_RLIMIT, false},
    {"Exec", "LimitRSS", UV_RLIMIT, false},
    {"Exec", "LimitRTPRIO", UV_RLIMIT, false},
    {"Exec", "LimitRTTIME", UV_RLIMIT, false},
    {"Exec", "LimitSIGPENDING", UV_RLIMIT, false},
    {"Exec", "LimitSTACK", UV_RLIMIT, false},
    {"Exec", "LoadCredential", UV_STRING, true},
    {"Exec", "LoadCredentialEncrypted", UV_STRING, true},
    {"Exec", "LockPersonality", UV_STRING, false},
    {"Exec", "LogExtraFields", UV_STRING, true},
    {"Exec", "LogFilterPatterns", UV_STRING, true},
    {"Exec", "LogLevelMax", UV_STRING, false},
    {"Exec", "LogNamespace", UV_STRING, false},
    {"Exec", "LogRateLimitBurst", UV_STRING, false},
    {"Exec", "LogRateLimitIntervalSec", UV_STRING, false},
    {"Exec", "LogsDirectory", UV_STRING, true},
    {"Exec", "LogsDirectoryAccounting", UV_STRING, false},
    {"Exec", "LogsDirectoryMode", UV_STRING, false},
    {"Exec", "LogsDirectoryQuota", UV_STRING, false},
    {"Exec", "ManagedOOMMemoryPressure", UV_STRING, false},
    {"Exec", "ManagedOOMMemoryPressureDurationSec", UV_STRING, false},
    {"Exec", "ManagedOOMMemoryPressureLimit", UV_STRING, false},
    {"Exec", "ManagedOOMPreference", UV_STRING, false},
    {"Exec", "ManagedOOMSwap", UV_STRING, false},
    {"Exec", "MemoryAccounting", UV_STRING, false},
    {"Exec", "MemoryDenyWriteExecute", UV_STRING, false},
    {"Exec", "MemoryHigh", UV_STRING, false},
    {"Exec", "MemoryKSM", UV_STRING, false},
    {"Exec", "MemoryLimit", UV_STRING, false},
    {"Exec", "MemoryLow", UV_STRING, false},
    {"Exec", "MemoryMax", UV_STRING, false},
    {"Exec", "MemoryMin", UV_STRING, false},
    {"Exec", "MemoryPressureThresholdSec", UV_STRING, false},
    {"Exec", "MemoryPressureWatch", UV_STRING, false},
    {"Exec", "MemorySwapMax", UV_STRING, false},
    {"Exec", "MemoryZSwapMax", UV_STRING, false},
    {"Exec", "MemoryZSwapWriteback", UV_STRING, false},
    {"Exec", "MountAPIVFS", UV_STRING, false},
    {"Exec", "MountFlags", UV_STRING, false},
    {"Exec", "MountImagePolicy", UV_STRING, false},
    {"Exec", "MountImages", UV_STRING, true},
    {"Exec", "NFTSet", UV_STRING, true},
    {"Exec", "NUMAMask", UV_STRING, true},
    {"Exec", "NUMAPolicy", UV_STRING, false},
    {"Exec", "NetClass", UV_STRING, false},
    {"Exec", "NetworkNamespacePath", UV_STRING, false},
    {"Exec", "Nice", UV_STRING, false},
    {"Exec", "NoExecPaths", UV_STRING, true},
    {"Exec", "NoNewPrivileges", UV_STRING, false},
    {"Exec", "OOMScoreAdjust", UV_STRING, false},
    {"Exec", "PAMName", UV_STRING, false},
    {"Exec", "PassEnvironment", UV_STRING, true},
    {"Exec", "Personality", UV_STRING, false},
    {"Exec", "PrivateBPF", UV_STRING, false},
    {"Exec", "PrivateDevices", UV_STRING, false},
    {"Exec", "PrivateIPC", UV_STRING, false},
    {"Exec", "PrivateMounts", UV_STRING, false},
    {"Exec", "PrivateNetwork", UV_STRING, false},
    {"Exec", "PrivatePIDs", UV_STRING, false},
    {"Exec", "PrivateTmp", UV_STRING, false},
    {"Exec", "PrivateUsers", UV_STRING, false},
    {"Exec", "ProcSubset", UV_STRING, false},
    {"Exec", "ProtectClock", UV_STRING, false},
    {"Exec", "ProtectControlGroups", UV_STRING, false},
    {"Exec", "ProtectHome", UV_STRING, false},
    {"Exec", "ProtectHostname", UV_STRING, false},
    {"Exec", "ProtectKernelLogs", UV_STRING, false},
    {"Exec", "ProtectKernelModules", UV_STRING, false},
    {"Exec", "ProtectKernelTunables", UV_STRING, false},
    {"Exec", "ProtectProc", UV_STRING, false},
    {"Exec", "ProtectSystem", UV_STRING, false},
    {"Exec", "ReadOnlyDirectories", UV_STRING, true},
    {"Exec", "ReadOnlyPaths", UV_STRING, true},
    {"Exec", "ReadWriteDirectories", UV_STRING, true},
    {"Exec", "ReadWritePaths", UV_STRING, true},
    {"Exec", "RemoveIPC", UV_STRING, false},
    {"Exec", "RestartKillSignal", UV_STRING, false},
    {"Exec", "RestrictAddressFamilies", UV_STRING, true},
    {"Exec", "RestrictFileSystems", UV_STRING, true},
    {"Exec", "RestrictNamespaces", UV_STRING, true},
    {"Exec", "RestrictNetworkInterfaces", UV_STRING, true},
    {"Exec", "RestrictRealtime", UV_STRING, false},
    {"Exec", "RestrictSUIDSGID", UV_STRING, false},
    {"Exec", "RootDirectory", UV_STRING, false},
    {"Exec", "RootEphemeral", UV_STRING, false},
    {"Exec", "RootHash", UV_STRING, false},
    {"Exec", "RootHashSignature", UV_STRING, false},
    {"Exec", "RootImage", UV_STRING, false},
    {"Exec", "RootImageOptions", UV_STRING, true},
    {"Exec", "RootImagePolicy", UV_STRING, false},
    {"Exec", "RootVerity", UV_STRING, false},
    {"Exec", "RuntimeDirectory", UV_STRING, true},
    {"Exec", "RuntimeDirectoryMode", UV_STRING, false},
    {"Exec", "RuntimeDirectoryPreserve", UV_STRING, false},
    {"Exec", "SELinuxContext", UV_STRING, false},
    {"Exec", "SecureBits", UV_STRING, false},
    {"Exec", "SendSIGHUP", UV_STRING, false},
    {"Exec", "SendSIGKILL", UV_STRING, false},
    {"Exec", "SetCredential", UV_STRING, true},
    {"Exec", "SetCredentialEncrypted", UV_STRING, true},
    {"Exec", "SetLoginEnvironment", UV_STRING, false},
    {"Exec", "Slice", UV_STRING, false},
    {"Exec", "SmackProcessLabel", UV_STRING, false},
    {"Exec", "SocketBindAllow", UV_STRING, true},
    {"Exec", "SocketBindDeny", UV_STRING, true},
    {"Exec", "StandardError", UV_STRING, false},
    {"Exec", "StandardInput", UV_STRING, false},
    {"Exec", "StandardInputData", UV_STRING, false},
    {"Exec", "StandardInputText", UV_STRING, false},
    {"Exec", "StandardOutput", UV_STRING, false},
    {"Exec", "StartupAllowedCPUs", UV_CPUSET, true},
    {"Exec", "StartupAllowedMemoryNodes", UV_STRING, true},
    {"Exec", "StartupBlockIOWeight", UV_STRING, false},
    {"Exec", "StartupCPUShares", UV_STRING, false},
    {"Exec", "StartupCPUWeight", UV_STRING, false},
    {"Exec", "StartupIOWeight", UV_STRING, false},
    {"Exec", "StartupMemoryHigh", UV_STRING, false},
    {"Exec", "StartupMemoryLow", UV_STRING, false},
    {"Exec", "StartupMemoryMax", UV_STRING, false},
    {"Exec", "StartupMemorySwapMax", UV_STRING, false},
    {"Exec", "StartupMemoryZSwapMax", UV_STRING, false},
    {"Exec", "StateDirectory", UV_STRING, true},
    {"Exec", "StateDirectoryAccounting", UV_STRING, false},
    {"Exec", "StateDirectoryMode", UV_STRING, false},
    {"Exec", "StateDirectoryQuota", UV_STRING, false},
    {"Exec", "SupplementaryGroups", UV_STRING, true},
    {"Exec", "SyslogFacility", UV_STRING, false},
    {"Exec", "SyslogIdentifier", UV_STRING, false},
    {"Exec", "SyslogLevel", UV_STRING, false},
    {"Exec", "SyslogLevelPrefix", UV_STRING, false},
    {"Exec", "SystemCallArchitectures", UV_STRING, true},
    {"Exec", "SystemCallErrorNumber", UV_STRING, false},
    {"Exec", "SystemCallFilter", UV_STRING, true},
    {"Exec", "SystemCallLog", UV_STRING, true},
    {"Exec", "TTYColumns", UV_STRING, false},
    {"Exec", "TTYPath", UV_STRING, false},
    {"Exec", "TTYReset", UV_STRING, false},
    {"Exec", "TTYRows", UV_STRING, false},
    {"Exec", "TTYVHangup", UV_STRING, false},
    {"Exec", "TTYVTDisallocate", UV_STRING, false},
    {"Exec", "TasksAccounting", UV_STRING, false},
    {"Exec", "TasksMax", UV_TASKS, false},
    {"Exec", "TemporaryFileSystem", UV_STRING, true},
    {"Exec", "TimeoutCleanSec", UV_STRING, false},
    {"Exec", "TimeoutSec", UV_STRING, false},
    {"Exec", "TimerSlackNSec", UV_STRING, false},
    {"Exec", "UMask", UV_STRING, false},
    {"Exec", "UnsetEnvironment", UV_STRING, true},
    {"Exec", "User", UV_STRING, false},
    {"Exec", "UtmpIdentifier", UV_STRING, false},
    {"Exec", "UtmpMode", UV_STRING, false},
    {"Exec", "WatchdogSignal", UV_STRING, false},
    {"Exec", "WorkingDirectory", UV_STRING, false},
    {"Unit", "After", UV_STRING, true},
    {"Unit", "AllowIsolate", UV_STRING, false},
    {"Unit", "AssertACPower", UV_STRING, true},
    {"Unit", "AssertArchitecture", UV_STRING, true},
    {"Unit", "AssertCPUFeature", UV_STRING, true},
    {"Unit", "AssertCPUPressure", UV_STRING, true},
    {"Unit", "AssertCPUs", UV_STRING, true},
    {"Unit", "AssertCapability", UV_STRING, true},
    {"Unit", "AssertControlGroupController", UV_STRING, true},
    {"Unit", "AssertCredential", UV_STRING, true},
    {"Unit", "AssertDirectoryNotEmpty", UV_STRING, true},
    {"Unit", "AssertEnvironment", UV_STRING, true},
    {"Unit", "AssertFileIsExecutable", UV_STRING, true},
    {"Unit", "AssertFileNotEmpty", UV_STRING, true},
    {"Unit", "AssertFirmware", UV_STRING, true},
    {"Unit", "AssertFirstBoot", UV_STRING, true},
    {"Unit", "AssertGroup", UV_STRING, true},
    {"Unit", "AssertHost", UV_STRING, true},
    {"Unit", "AssertIOPressure", UV_STRING, true},
    {"Unit", "AssertKernelCommandLine", UV_STRING, true},
    {"Unit", "AssertKernelModuleLoaded", UV_STRING, true},
    {"Unit", "AssertKernelVersion", UV_STRING, true},
    {"Unit", "AssertMemory", UV_STRING, true},
    {"Unit", "AssertMemoryPressure", UV_STRING, true},
    {"Unit", "AssertNeedsUpdate", UV_STRING, true},
    {"Unit", "AssertOSRelease", UV_STRING, true},
    {"Unit", "AssertPathExists", UV_STRING, true},
    {"Unit", "AssertPathExistsGlob", UV_STRING, true},
    {"Unit", "AssertPathIsDirectory", UV_STRING, true},
    {"Unit", "AssertPathIsEncrypted", UV_STRING, true},
    {"Unit", "AssertPathIsMountPoint", UV_STRING, true},
    {"Unit", "AssertPathIsReadWrite", UV_STRING, true},
    {"Unit", "AssertPathIsSymbolicLink", UV_STRING, true},
    {"Unit", "AssertSecurity", UV_STRING, true},
    {"Unit", "AssertUser", UV_STRING, true},
    {"Unit", "AssertVirtualization", UV_STRING, true},
    {"Unit", "Before", UV_STRING, true},
    {"Unit", "BindTo", UV_STRING, true},
    {"Unit", "BindsTo", UV_STRING, true},
    {"Unit", "CollectMode", UV_STRING, false},
    {"Unit", "ConditionACPower", UV_STRING, true},
    {"Unit", "ConditionArchitecture", UV_STRING, true},
    {"Unit", "ConditionCPUFeature", UV_STRING, true},
    {"Unit", "ConditionCPUPressure", UV_STRING, true},
    {"Unit", "ConditionCPUs", UV_STRING, true},
    {"Unit", "ConditionCapability", UV_STRING, true},
    {"Unit", "ConditionControlGroupController", UV_STRING, true},
    {"Unit", "ConditionCredential", UV_STRING, true},
    {"Unit", "ConditionDirectoryNotEmpty", UV_STRING, true},
    {"Unit", "ConditionEnvironment", UV_STRING, true},
    {"Unit", "ConditionFileIsExecutable", UV_STRING, true},
    {"Unit", "ConditionFileNotEmpty", UV_STRING, true},
    {"Unit", "ConditionFirmware", UV_STRING, true},
    {"Unit", "ConditionFirstBoot", UV_STRING, true},
    {"Unit", "ConditionGroup", UV_STRING, true},
    {"Unit", "ConditionHost", UV_STRING, true},
    {"Unit", "ConditionIOPressure", UV_STRING, true},
    {"Unit", "ConditionKernelCommandLine", UV_STRING, true},
    {"Unit", "ConditionKernelModuleLoaded", UV_STRING, true},
    {"Unit", "ConditionKernelVersion", UV_STRING, true},
    {"Unit", "ConditionMemory", UV_STRING, true},
    {"Unit", "ConditionMemoryPressure", UV_STRING, true},
    {"Unit", "ConditionNeedsUpdate", UV_STRING, true},
    {"Unit", "ConditionOSRelease", UV_STRING, true},
    {"Unit", "ConditionPathExists", UV_STRING, true},
    {"Unit", "ConditionPathExistsGlob", UV_STRING, true},
    {"Unit", "ConditionPathIsDirectory", UV_STRING, true},
    {"Unit", "ConditionPathIsEncrypted", UV_STRING, true},
    {"Unit", "ConditionPathIsMountPoint", UV_STRING, true},
    {"Unit", "ConditionPathIsReadWrite", UV_STRING, true},
    {"Unit", "ConditionPathIsSymbolicLink", UV_STRING, true},
    {"Unit", "ConditionSecurity", UV_STRING, true},
    {"Unit", "ConditionUser", UV_STRING, true},
    {"Unit", "ConditionVirtualization", UV_STRING, true},
    {"Unit", "Conflicts", UV_STRING, true},
    {"Unit", "DefaultDependencies", UV_STRING, false},
    {"Unit", "Description", UV_STRING, false},
    {"Unit", "Documentation", UV_STRING, true},
    {"Unit", "FailureAction", UV_STRING, false},
    {"Unit", "FailureActionExitStatus", UV_STRING, false},
    {"Unit", "IgnoreOnIsolate", UV_STRING, false},
    {"Unit", "IgnoreOnSnapshot", UV_STRING, false},
    {"Unit", "JobRunningTimeoutSec", UV_STRING, false},
    {"Unit", "JobTimeoutAction", UV_STRING, false},
    {"Unit", "JobTimeoutRebootArgument", UV_STRING, false},
    {"Unit", "JobTimeoutSec", UV_STRING, false},
    {"Unit", "JoinsNamespaceOf", UV_STRING, true},
    {"Unit", "OnFailure", UV_STRING, true},
    {"Unit", "OnFailureIsolate", UV_STRING, false},
    {"Unit", "OnFailureJobMode", UV_STRING, false},
    {"Unit", "OnSuccess", UV_STRING, true},
    {"Unit", "OnSuccessJobMode", UV_STRING, false},
    {"Unit", "PartOf", UV_STRING, true},
    {"Unit", "PropagateReloadFrom", UV_STRING, true},
    {"Unit", "PropagateReloadTo", UV_STRING, true},
    {"Unit", "PropagatesReloadTo", UV_STRING, true},
    {"Unit", "PropagatesStopTo", UV_STRING, true},
    {"Unit", "RebootArgument", UV_STRING, false},
    {"Unit", "RefuseManualStart", UV_STRING, false},
    {"Unit", "RefuseManualStop", UV_STRING, false},
    {"Unit", "ReloadPropagatedFrom", UV_STRING, true},
    {"Unit", "Requires", UV_STRING, true},
    {"Unit", "RequiresMountsFor", UV_STRING, true},
    {"Unit", "RequiresOverridable", UV_STRING, false},
    {"Unit", "Requisite", UV_STRING, true},
    {"Unit", "RequisiteOverridable", UV_STRING, false},
    {"Unit", "SourcePath", UV_STRING, false},
    {"Unit", "StartLimitAction", UV_STRING, false},
    {"Unit", "StartLimitBurst", UV_STRING, false},
    {"Unit", "StartLimitInterval", UV_STRING, false},
    {"Unit", "StartLimitIntervalSec", UV_STRING, false},
    {"Unit", "StopPropagatedFrom", UV_STRING, true},
    {"Unit", "StopWhenUnneeded", UV_STRING, false},
    {"Unit", "SuccessAction", UV_STRING, false},
    {"Unit", "SuccessActionExitStatus", UV_STRING, false},
    {"Unit", "SurviveFinalKillSignal", UV_STRING, false},
    {"Unit", "Upholds", UV_STRING, true},
    {"Unit", "Wants", UV_STRING, true},
    {"Unit", "WantsMountsFor", UV_STRING, true},
    {"Service", "BusName", UV_STRING, false},
    {"Service", "BusPolicy", UV_STRING, false},
    {"Service", "ExecCondition", UV_EXEC, true},
    {"Service", "ExecReload", UV_EXEC, true},
    {"Service", "ExecStart", UV_EXEC, true},
    {"Service", "ExecStartPost", UV_EXEC, true},
    {"Service", "ExecStartPre", UV_EXEC, true},
    {"Service", "ExecStop", UV_EXEC, true},
    {"Service", "ExecStopPost", UV_EXEC, true},
    {"Service", "ExitType", UV_STRING, false},
    {"Service", "FailureAction", UV_STRING, false},
    {"Service", "FileDescriptorStoreMax", UV_STRING, false},
    {"Service", "FileDescriptorStorePreserve", UV_STRING, false},
    {"Service", "GuessMainPID", UV_STRING, false},
    {"Service", "NonBlocking", UV_STRING, false},
    {"Service", "NotifyAccess", UV_STRING, false},
    {"Service", "OOMPolicy", UV_STRING, false},
    {"Service", "OpenFile", UV_STRING, true},
    {"Service", "PIDFile", UV_STRING, false},
    {"Service", "PermissionsStartOnly", UV_STRING, false},
    {"Service", "RebootArgument", UV_STRING, false},
    {"Service", "ReloadSignal", UV_STRING, false},
    {"Service", "RemainAfterExit", UV_STRING, false},
    {"Service", "Restart", UV_STRING, false},
    {"Service", "RestartForceExitStatus", UV_STRING, true},
    {"Service", "RestartMaxDelaySec", UV_STRING, false},
    {"Service", "RestartMode", UV_STRING, false},
    {"Service", "RestartPreventExitStatus", UV_STRING, true},
    {"Service", "RestartSec", UV_STRING, false},
    {"Service", "RestartSteps", UV_STRING, false},
    {"Service", "RootDirectoryStartOnly", UV_STRING, false},
    {"Service", "RuntimeMaxSec", UV_STRING, false},
    {"Service", "RuntimeRandomizedExtraSec", UV_STRING, false},
    {"Service", "Sockets", UV_STRING, true},
    {"Service", "StartLimitAction", UV_STRING, false},
    {"Service", "StartLimitBurst", UV_STRING, false},
    {"Service", "StartLimitInterval", UV_STRING, false},
    {"Service", "SuccessExitStatus", UV_STRING, true},
    {"Service", "SysVStartPriority", UV_STRING, false},
    {"Service", "TimeoutAbortSec", UV_STRING, false},
    {"Service", "TimeoutStartFailureMode", UV_STRING, false},
    {"Service", "TimeoutStartSec", UV_STRING, false},
    {"Service", "TimeoutStopFailureMode", UV_STRING, false},
    {"Service", "TimeoutStopSec", UV_STRING, false},
    {"Service", "Type", UV_STRING, false},
    {"Service", "USBFunctionDescriptors", UV_STRING, false},
    {"Service", "USBFunctionStrings", UV_STRING, false},
    {"Service", "WatchdogSec", UV_STRING, false},
    {"Install", "Alias", UV_STRING, true},
    {"Install", "Also", UV_STRING, true},
    {"Install", "DefaultInstance", UV_STRING, false},
    {"Install", "RequiredBy", UV_STRING, true},
    {"Install", "UpheldBy", UV_STRING, true},
    {"Install", "WantedBy", UV_STRING, true},
    {"Socket", "Accept", UV_STRING, false},
    {"Socket", "AcceptFileDescriptors", UV_STRING, false},
    {"Socket", "Backlog", UV_STRING, false},
    {"Socket", "BindIPv6Only", UV_STRING, false},
    {"Socket", "BindToDevice", UV_STRING, true},
    {"Socket", "Broadcast", UV_STRING, false},
    {"Socket", "DeferAcceptSec", UV_STRING, false},
    {"Socket", "DeferTrigger", UV_STRING, false},
    {"Socket", "DeferTriggerMaxSec", UV_STRING, false},
    {"Socket", "DirectoryMode", UV_STRING, false},
    {"Socket", "ExecStartPost", UV_EXEC, true},
    {"Socket", "ExecStartPre", UV_EXEC, true},
    {"Socket", "ExecStopPost", UV_EXEC, true},
    {"Socket", "ExecStopPre", UV_EXEC, true},
    {"Socket", "FileDescriptorName", UV_STRING, true},
    {"Socket", "FlushPending", UV_STRING, false},
    {"Socket", "FreeBind", UV_STRING, false},
    {"Socket", "IPTOS", UV_STRING, false},
    {"Socket", "IPTTL", UV_STRING, false},
    {"Socket", "KeepAlive", UV_STRING, false},
    {"Socket", "KeepAliveIntervalSec", UV_STRING, false},
    {"Socket", "KeepAliveProbes", UV_STRING, false},
    {"Socket", "KeepAliveTimeSec", UV_STRING, false},
    {"Socket", "ListenDatagram", UV_STRING, true},
    {"Socket", "ListenFIFO", UV_STRING, true},
    {"Socket", "ListenMessageQueue", UV_STRING, true},
    {"Socket", "ListenNetlink", UV_STRING, true},
    {"Socket", "ListenSequentialPacket", UV_STRING, true},
    {"Socket", "ListenSpecial", UV_STRING, true},
    {"Socket", "ListenStream", UV_STRING, true},
    {"Socket", "ListenUSBFunction", UV_STRING, true},
    {"Socket", "Mark", UV_STRING, false},
    {"Socket", "MaxConnections", UV_STRING, false},
    {"Socket", "MaxConnectionsPerSource", UV_STRING, false},
    {"Socket", "MessageQueueMaxMessages", UV_STRING, false},
    {"Socket", "MessageQueueMessageSize", UV_STRING, false},
    {"Socket", "NoDelay", UV_STRING, false},
    {"Socket", "PassCredentials", UV_STRING, false},
    {"Socket", "PassFileDescriptorsToExec", UV_STRING, false},
    {"Socket", "PassPIDFD", UV_STRING, false},
    {"Socket", "PassPacketInfo", UV_STRING, false},
    {"Socket", "PassSecurity", UV_STRING, false},
    {"Socket", "PipeSize", UV_STRING, false},
    {"Socket", "PollLimitBurst", UV_STRING, false},
    {"Socket", "PollLimitIntervalSec", UV_STRING, false},
    {"Socket", "Priority", UV_STRING, false},
    {"Socket", "ReceiveBuffer", UV_STRING, false},
    {"Socket", "RemoveOnStop", UV_STRING, false},
    {"Socket", "ReusePort", UV_STRING, false},
    {"Socket", "SELinuxContextFromNet", UV_STRING, false},
    {"Socket", "SendBuffer", UV_STRING, false},
    {"Socket", "Service", UV_STRING, false},
    {"Socket", "SmackLabel", UV_STRING, false},
    {"Socket", "SmackLabelIPIn", UV_STRING, false},
    {"Socket", "SmackLabelIPOut", UV_STRING, false},
    {"Socket", "SocketGroup", UV_STRING, false},
    {"Socket", "SocketMode", UV_STRING, false},
    {"Socket", "SocketProtocol", UV_STRING, false},
    {"Socket", "SocketUser", UV_STRING, false},
    {"Socket", "Symlinks", UV_STRING, true},
    {"Socket", "TCPCongestion", UV_STRING, false},
    {"Socket", "Timestamping", UV_STRING, false},
    {"Socket", "Transparent", UV_STRING, false},
    {"Socket", "TriggerLimitBurst", UV_STRING, false},
    {"Socket", "TriggerLimitIntervalSec", UV_STRING, false},
    {"Socket", "Writable", UV_STRING, false},
    {"Mount", "DirectoryMode", UV_STRING, false},
    {"Mount", "ForceUnmount", UV_STRING, false},
    {"Mount", "LazyUnmount", UV_STRING, false},
    {"Mount", "Options", UV_STRING, true},
    {"Mount", "ReadWriteOnly", UV_STRING, false},
    {"Mount", "SloppyOptions", UV_STRING, false},
    {"Mount", "Type", UV_STRING, false},
    {"Mount", "What", UV_STRING, false},
    {"Mount", "Where", UV_STRING, false},
    {"Swap", "Options", UV_STRING, true},
    {"Swap", "Priority", UV_STRING, false},
    {"Swap", "What", UV_STRING, false},
    {"Automount", "DirectoryMode", UV_STRING, false},
    {"Automount", "ExtraOptions", UV_STRING, false},
    {"Automount", "TimeoutIdleSec", UV_STRING, false},
    {"Automount", "Where", UV_STRING, false},
    {"Timer", "AccuracySec", UV_STRING, false},
    {"Timer", "DeferReactivation", UV_STRING, false},
    {"Timer", "FixedRandomDelay", UV_STRING, false},
    {"Timer", "OnActiveSec", UV_STRING, true},
    {"Timer", "OnBootSec", UV_STRING, true},
    {"Timer", "OnCalendar", UV_STRING, true},
    {"Timer", "OnClockChange", UV_STRING, false},
    {"Timer", "OnStartupSec", UV_STRING, true},
    {"Timer", "OnTimezoneChange", UV_STRING, false},
    {"Timer", "OnUnitActiveSec", UV_STRING, true},
    {"Timer", "OnUnitInactiveSec", UV_STRING, true},
    {"Timer", "Persistent", UV_STRING, false},
    {"Timer", "RandomizedDelaySec", UV_STRING, false},
    {"Timer", "RandomizedOffsetSec", UV_STRING, false},
    {"Timer", "RemainAfterElapse", UV_STRING, false},
    {"Timer", "Unit", UV_STRING, false},
    {"Timer", "WakeSystem", UV_STRING, false},
    {"Path", "DirectoryMode", UV_STRING, false},
    {"Path", "DirectoryNotEmpty", UV_STRING, true},
    {"Path", "MakeDirectory", UV_STRING, false},
    {"Path", "PathChanged", UV_STRING, true},
    {"Path", "PathExists", UV_STRING, true},
    {"Path", "PathExistsGlob", UV_STRING, true},
    {"Path", "PathModified", UV_STRING, true},
    {"Path", "TriggerLimitBurst", UV_STRING, false},
    {"Path", "TriggerLimitIntervalSec", UV_STRING, false},
    {"Path", "Unit", UV_STRING, false},
    {"Slice", "ConcurrencyHardMax", UV_STRING, false},
    {"Slice", "ConcurrencySoftMax", UV_STRING, false},
    {"Scope", "OOMPolicy", UV_STRING, false},
    {"Scope", "RuntimeMaxSec", UV_STRING, false},
    {"Scope", "RuntimeRandomizedExtraSec", UV_STRING, false},
    {"Scope", "TimeoutStopSec", UV_STRING, false},
    {"Manager", "CPUAffinity", UV_CPUSET, true},
    {"Manager", "CapabilityBoundingSet", UV_STRING, true},
    {"Manager", "CrashAction", UV_STRING, false},
    {"Manager", "CrashChangeVT", UV_STRING, false},
    {"Manager", "CrashReboot", UV_STRING, false},
    {"Manager", "CrashShell", UV_STRING, false},
    {"Manager", "CtrlAltDelBurstAction", UV_STRING, false},
    {"Manager", "DefaultBlockIOAccounting", UV_STRING, false},
    {"Manager", "DefaultCPUAccounting", UV_STRING, false},
    {"Manager", "DefaultDeviceTimeoutSec", UV_STRING, false},
    {"Manager", "DefaultEnvironment", UV_ENV, true},
    {"Manager", "DefaultIOAccounting", UV_STRING, false},
    {"Manager", "DefaultIPAccounting", UV_STRING, false},
    {"Manager", "DefaultLimitAS", UV_RLIMIT, false},
    {"Manager", "DefaultLimitCORE", UV_RLIMIT, false},
    {"Manager", "DefaultLimitCPU", UV_RLIMIT, false},
    {"Manager", "DefaultLimitDATA", UV_RLIMIT, false},
    {"Manager", "DefaultLimitFSIZE", UV_RLIMIT, false},
    {"Manager", "DefaultLimitLOCKS", UV_RLIMIT, false},
    {"Manager", "DefaultLimitMEMLOCK", UV_RLIMIT, false},
    {"Manager", "DefaultLimitMSGQUEUE", UV_RLIMIT, false},
    {"Manager", "DefaultLimitNICE", UV_RLIMIT, false},
    {"Manager", "DefaultLimitNOFILE", UV_RLIMIT, false},
    {"Manager", "DefaultLimitNPROC", UV_RLIMIT, false},
    {"Manager", "DefaultLimitRSS", UV_RLIMIT, false},
    {"Manager", "DefaultLimitRTPRIO", UV_RLIMIT, false},
    {"Manager", "DefaultLimitRTTIME", UV_RLIMIT, false},
    {"Manager", "DefaultLimitSIGPENDING", UV_RLIMIT, false},
    {"Manager", "DefaultLimitSTACK", UV_RLIMIT, false},
    {"Manager", "DefaultMemoryAccounting", UV_STRING, false},
    {"Manager", "DefaultMemoryPressureThresholdSec", UV_STRING, false},
    {"Manager", "DefaultMemoryPressureWatch", UV_STRING, false},
    {"Manager", "DefaultOOMPolicy", UV_STRING, false},
    {"Manager", "DefaultOOMScoreAdjust", UV_STRING, false},
    {"Manager", "DefaultRestartSec", UV_STRING, false},
    {"Manager", "DefaultRestrictSUIDSGID", UV_STRING, false},
    {"Manager", "DefaultSmackProcessLabel", UV_STRING, false},
    {"Manager", "DefaultStandardError", UV_STRING, false},
    {"Manager", "DefaultStandardOutput", UV_STRING, false},
    {"Manager", "DefaultStartLimitBurst", UV_STRING, false},
    {"Manager", "DefaultStartLimitInterval", UV_STRING, false},
    {"Manager", "DefaultStartLimitIntervalSec", UV_STRING, false},
    {"Manager", "DefaultTasksAccounting", UV_STRING, false},
    {"Manager", "DefaultTasksMax", UV_TASKS, false},
    {"Manager", "DefaultTimeoutAbortSec", UV_STRING, false},
    {"Manager", "DefaultTimeoutStartSec", UV_STRING, false},
    {"Manager", "DefaultTimeoutStopSec", UV_STRING, false},
    {"Manager", "DefaultTimerAccuracySec", UV_STRING, false},
    {"Manager", "DumpCore", UV_STRING, false},
    {"Manager", "JoinControllers", UV_STRING, false},
    {"Manager", "KExecWatchdogSec", UV_STRING, false},
    {"Manager", "LogColor", UV_STRING, false},
    {"Manager", "LogLevel", UV_STRING, false},
    {"Manager", "LogLocation", UV_STRING, false},
    {"Manager", "LogTarget", UV_STRING, false},
    {"Manager", "LogTime", UV_STRING, false},
    {"Manager", "ManagerEnvironment", UV_ENV, true},
    {"Manager", "NUMAMask", UV_STRING, true},
    {"Manager", "NUMAPolicy", UV_STRING, false},
    {"Manager", "NoNewPrivileges", UV_STRING, false},
    {"Manager", "ProtectSystem", UV_STRING, false},
    {"Manager", "RebootWatchdogSec", UV_STRING, false},
    {"Manager", "ReloadLimitBurst", UV_STRING, false},
    {"Manager", "ReloadLimitIntervalSec", UV_STRING, false},
    {"Manager", "RuntimeWatchdogPreGovernor", UV_STRING, false},
    {"Manager", "RuntimeWatchdogPreSec", UV_STRING, false},
    {"Manager", "RuntimeWatchdogSec", UV_STRING, false},
    {"Manager", "ShowStatus", UV_STRING, false},
    {"Manager", "ShutdownWatchdogSec", UV_STRING, false},
    {"Manager", "StatusUnitFormat", UV_STRING, false},
    {"Manager", "SystemCallArchitectures", UV_STRING, true},
    {"Manager", "TimerSlackNSec", UV_STRING, false},
    {"Manager", "WatchdogDevice", UV_STRING, false},
};

static bool section_has_exec(const char *section)
{
    return strcmp(section, "Service") == 0 || strcmp(section, "Socket") == 0 ||
           strcmp(section, "Mount") == 0 || strcmp(section, "Swap") == 0 ||
           strcmp(section, "Slice") == 0 || strcmp(section, "Scope") == 0;
}

const unit_key_info *unit_key_lookup(const char *section, const char *key)
{
    bool exec = section_has_exec(section);
    for (size_t i = 0; i < GE_ARRAY_LEN(unit_keys); i++) {
        const unit_key_info *k = &unit_keys[i];
        if (strcmp(k->key, key) != 0)
            continue;
        if (strcmp(k->section, section) == 0 || (exec && strcmp(k->section, "Exec") == 0))
            return k;
    }
    return NULL;
}

bool unit_section_checked(const char *section)
{
    return strcmp(section, "Unit") == 0 || strcmp(section, "Service") == 0 ||
           strcmp(section, "Install") == 0 || strcmp(section, "Manager") == 0;
}

const char *unit_key_suggest(const char *section, const char *key)
{
    bool exec = section_has_exec(section);
    char lk[80], lc[80];
    lines_lower(lk, sizeof(lk), key);
    const char *best = NULL;
    size_t best_d = 4;
    for (size_t i = 0; i < GE_ARRAY_LEN(unit_keys); i++) {
        const unit_key_info *k = &unit_keys[i];
        if (strcmp(k->section, section) != 0 && !(exec && strcmp(k->section, "Exec") == 0))
            continue;
        lines_lower(lc, sizeof(lc), k->key);
        size_t d = str_edit_distance(lk, lc, 3);
        /* a case slip alone counts as the closest possible match */
        if (d < best_d || (d == best_d && best && strcmp(k->key, best) < 0)) {
            best_d = d;
            best = k->key;
        }
    }
    /* short keys: one edit in three letters is a different word */
    if (best && best_d > 0 && strlen(key) <= 4 && best_d > 1)
        return NULL;
    return best;
}

/* ---- parsing ------------------------------------------------------------- */

typedef struct unit_parser {
    arena *a;
    unit_file *uf;
    size_t cap_settings, cap_sections;
    problem_list problems;
    const char *section;
} unit_parser;

/* True if the line [s, e) ends in an unescaped backslash. */
static bool ends_in_continuation(const char *d, size_t s, size_t e)
{
    bool escaped = false;
    for (size_t i = s; i < e; i++) {
        if (escaped)
            escaped = false;
        else if (d[i] == '\\')
            escaped = true;
    }
    return escaped;
}

static void unit_assignment(unit_parser *p, size_t s, size_t e, size_t last_end,
                            const char *joined, int line, bool continued)
{
    const char *d = p->uf->src->data;
    const char *eq = memchr(d + s, '=', e - s);
    if (!eq) {
        lines_problem(p->a, &p->problems, s, last_end,
                      "line is neither a [section], a comment nor a KEY=VALUE assignment");
        return;
    }
    size_t ks = s, ke = (size_t)(eq - d);
    lines_trim(d, &ks, &ke);
    if (ks == ke) {
        lines_problem(p->a, &p->problems, s, last_end, "assignment without a key");
        return;
    }
    if (!p->section) {
        lines_problem(p->a, &p->problems, s, last_end,
                      "assignment outside of any [section]: systemd ignores it");
        return;
    }
    unit_setting *u = LINES_PUSH(p->a, p->uf->settings, p->uf->nsettings, p->cap_settings);
    u->section = p->section;
    u->key = arena_strndup(p->a, d + ks, ke - ks);
    u->key_start = ks;
    u->key_end = ke;
    u->start = s;
    u->end = last_end;
    u->line = line;
    u->src = p->uf->src;
    u->continued = continued;
    size_t vs = (size_t)(eq - d) + 1, ve = last_end;
    while (vs < ve && lines_blank(d[vs]))
        vs++;
    while (ve > vs && lines_blank(d[ve - 1]))
        ve--;
    u->value_start = vs;
    u->value_end = ve;
    /* the value text: from the joined logical line */
    const char *jv = strchr(joined, '=');
    jv = jv ? jv + 1 : "";
    while (lines_blank(*jv))
        jv++;
    size_t jl = strlen(jv);
    while (jl && lines_blank(jv[jl - 1]))
        jl--;
    u->value = arena_strndup(p->a, jv, jl);
}

unit_file *unit_parse(arena *a, const source_file *src)
{
    unit_file *uf = arena_alloc(a, sizeof(*uf));
    uf->src = src;
    unit_parser p = {.a = a, .uf = uf};
    line_cursor c = {.data = src->data, .len = src->len};
    strbuf joined = STRBUF_INIT;
    size_t s, e;
    while (lines_next(&c, &s, &e)) {
        const char *d = src->data;
        size_t ts = s, te = e;
        if (c.line == 1 && te - ts >= 3 && memcmp(d + ts, "\xEF\xBB\xBF", 3) == 0)
            ts += 3;
        lines_trim(d, &ts, &te);
        if (ts == te || d[ts] == '#' || d[ts] == ';')
            continue;
        if (d[ts] == '[') {
            if (d[te - 1] != ']' || te - ts < 3) {
                lines_problem(a, &p.problems, ts, te, "invalid section header (expected [Name])");
                p.section = NULL;
                continue;
            }
            unit_section *sec = LINES_PUSH(a, uf->sections, uf->nsections, p.cap_sections);
            sec->name = arena_strndup(a, d + ts + 1, te - ts - 2);
            sec->start = ts;
            sec->end = te;
            sec->line = c.line;
            p.section = sec->name;
            continue;
        }
        /* an assignment, possibly continued over several lines; the key is
         * on the first line, a backslash becomes a space (as in systemd) */
        int first_line = c.line;
        strbuf_reset(&joined);
        size_t seg_s = ts, seg_e = te, last_end = te;
        bool continued = false;
        for (;;) {
            if (!ends_in_continuation(d, seg_s, seg_e)) {
                strbuf_add(&joined, d + seg_s, seg_e - seg_s);
                if (seg_e > seg_s)
                    last_end = seg_e;
                break;
            }
            strbuf_add(&joined, d + seg_s, seg_e - 1 - seg_s);
            strbuf_addc(&joined, ' ');
            continued = true;
            last_end = seg_e;
            size_t ns = 0, ne = 0;
            bool got = false;
            while (lines_next(&c, &ns, &ne)) {
                size_t cs = ns, cte = ne;
                lines_trim(d, &cs, &cte);
                if (cs < cte && (d[cs] == '#' || d[cs] == ';'))
                    continue; /* comment lines inside a continuation are skipped */
                got = true;
                break;
            }
            if (!got) {
                lines_problem(a, &p.problems, ts, last_end,
                              "the file ends inside a line continued with '\\'");
                break;
            }
            seg_s = ns;
            seg_e = ne;
            while (seg_e > seg_s && lines_blank(d[seg_e - 1]))
                seg_e--;
        }
        unit_assignment(&p, ts, te, last_end, joined.data ? joined.data : "", first_line,
                        continued);
    }
    strbuf_release(&joined);
    uf->problems = p.problems.items;
    uf->nproblems = p.problems.n;
    return uf;
}

/* ---- Limit*= values (systemd rlimit_parse) ------------------------------- */

typedef enum rlimit_unit { RL_COUNT, RL_BYTES, RL_SECONDS, RL_USEC, RL_NICE } rlimit_unit;

static const struct {
    const char *name;
    rlimit_unit unit;
} rlimit_units[] = {
    {"CPU", RL_SECONDS},    {"FSIZE", RL_BYTES},   {"DATA", RL_BYTES},
    {"STACK", RL_BYTES},    {"CORE", RL_BYTES},    {"RSS", RL_BYTES},
    {"NOFILE", RL_COUNT},   {"AS", RL_BYTES},      {"NPROC", RL_COUNT},
    {"MEMLOCK", RL_BYTES},  {"LOCKS", RL_COUNT},   {"SIGPENDING", RL_COUNT},
    {"MSGQUEUE", RL_BYTES}, {"NICE", RL_NICE},     {"RTPRIO", RL_COUNT},
    {"RTTIME", RL_USEC},
};

static bool parse_u64(const char *s, size_t n, uint64_t *out)
{
    if (n == 0 || n > 20)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        uint64_t d = (uint64_t)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* "1.5G", "512K", "100": bytes, base 1024 (systemd parse_size). */
static bool parse_bytes(const char *s, size_t n, uint64_t *out)
{
    static const struct { char c; unsigned shift; } suf[] = {
        {'K', 10}, {'M', 20}, {'G', 30}, {'T', 40}, {'P', 50}, {'E', 60}, {'B', 0},
    };
    size_t i = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    uint64_t whole;
    if (!parse_u64(s, i, &whole))
        return false;
    double frac = 0;
    if (i < n && s[i] == '.') {
        size_t j = ++i;
        double scale = 0.1;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            frac += (s[i] - '0') * scale;
            scale /= 10;
            i++;
        }
        if (i == j)
            return false;
    }
    while (i < n && lines_blank(s[i]))
        i++;
    unsigned shift = 0;
    if (i < n) {
        size_t k = 0;
        for (; k < GE_ARRAY_LEN(suf); k++)
            if (s[i] == suf[k].c)
                break;
        if (k == GE_ARRAY_LEN(suf) || i + 1 != n)
            return false;
        shift = suf[k].shift;
    } else if (frac != 0) {
        return false;
    }
    if (shift && whole > (UINT64_MAX >> shift))
        return false;
    *out = (whole << shift) + (uint64_t)(frac * (double)((uint64_t)1 << shift));
    return true;
}

/* "90", "1h 30min", "500ms": microseconds; a bare number is in default_usec units. */
static bool parse_time_usec(const char *s, size_t n, uint64_t default_usec, uint64_t *out)
{
    static const struct { const char *suffix; uint64_t usec; } units[] = {
        {"seconds", 1000000}, {"second", 1000000}, {"sec", 1000000}, {"s", 1000000},
        {"minutes", 60000000}, {"minute", 60000000}, {"min", 60000000}, {"m", 60000000},
        {"months", 2629800000000ull}, {"month", 2629800000000ull}, {"M", 2629800000000ull},
        {"msec", 1000}, {"ms", 1000}, {"usec", 1}, {"us", 1}, {"μs", 1},
        {"hours", 3600000000ull}, {"hour", 3600000000ull}, {"hr", 3600000000ull}, {"h", 3600000000ull},
        {"days", 86400000000ull}, {"day", 86400000000ull}, {"d", 86400000000ull},
        {"weeks", 604800000000ull}, {"week", 604800000000ull}, {"w", 604800000000ull},
        {"years", 31557600000000ull}, {"year", 31557600000000ull}, {"y", 31557600000000ull},
        {"nsec", 0}, {"ns", 0},
    };
    size_t i = 0;
    uint64_t total = 0;
    bool any = false;
    while (i < n) {
        while (i < n && lines_blank(s[i]))
            i++;
        if (i == n)
            break;
        size_t j = i;
        while (j < n && s[j] >= '0' && s[j] <= '9')
            j++;
        uint64_t v;
        if (!parse_u64(s + i, j - i, &v))
            return false;
        if (j < n && s[j] == '.') { /* fractions: accept, ignore the fraction */
            j++;
            while (j < n && s[j] >= '0' && s[j] <= '9')
                j++;
        }
        while (j < n && lines_blank(s[j]))
            j++;
        size_t k = j;
        while (k < n && !lines_blank(s[k]) && !(s[k] >= '0' && s[k] <= '9'))
            k++;
        uint64_t mult = default_usec;
        if (k > j) {
            size_t u = 0;
            for (; u < GE_ARRAY_LEN(units); u++)
                if (strlen(units[u].suffix) == k - j && memcmp(units[u].suffix, s + j, k - j) == 0)
                    break;
            if (u == GE_ARRAY_LEN(units))
                return false;
            mult = units[u].usec;
        } else if (any) {
            return false; /* "1h 30" */
        }
        total += mult ? v * mult : v / 1000;
        any = true;
        i = k;
    }
    if (!any)
        return false;
    *out = total;
    return true;
}

static bool rlimit_part(rlimit_unit u, const char *s, size_t n, uint64_t *out, char *why, size_t whylen)
{
    while (n && lines_blank(*s))
        s++, n--;
    while (n && lines_blank(s[n - 1]))
        n--;
    if ((n == 8 && memcmp(s, "infinity", 8) == 0)) {
        *out = RLIMIT_VALUE_INFINITY;
        return true;
    }
    bool ok = false;
    switch (u) {
    case RL_COUNT:
        ok = parse_u64(s, n, out);
        if (!ok)
            snprintf(why, whylen, "'%.*s' is not a number or 'infinity'", (int)(n > 64 ? 64 : n), s);
        return ok;
    case RL_BYTES:
        ok = parse_bytes(s, n, out);
        if (!ok)
            snprintf(why, whylen, "'%.*s' is not a size (bytes with an optional K, M, G, T, P or E) or 'infinity'",
                     (int)(n > 64 ? 64 : n), s);
        return ok;
    case RL_SECONDS: {
        uint64_t usec;
        ok = parse_time_usec(s, n, 1000000, &usec);
        if (ok)
            *out = (usec + 999999) / 1000000;
        else
            snprintf(why, whylen, "'%.*s' is not a time in seconds (1h, 30min, 90) or 'infinity'",
                     (int)(n > 64 ? 64 : n), s);
        return ok;
    }
    case RL_USEC:
        ok = parse_time_usec(s, n, 1, out);
        if (!ok)
            snprintf(why, whylen, "'%.*s' is not a time (500ms, 1s, microseconds) or 'infinity'",
                     (int)(n > 64 ? 64 : n), s);
        return ok;
    case RL_NICE: {
        /* "+N" is the raw rlimit 0..40, otherwise a nice level -20..19 */
        uint64_t v;
        if (n > 1 && s[0] == '+' && parse_u64(s + 1, n - 1, &v) && v <= 40) {
            *out = v;
            return true;
        }
        if (n > 1 && s[0] == '-' && parse_u64(s + 1, n - 1, &v) && v <= 20) {
            *out = 20 + v;
            return true;
        }
        if (parse_u64(s, n, &v) && v <= 19) {
            *out = 20 - v;
            return true;
        }
        snprintf(why, whylen, "'%.*s' is not a nice level (-20..19) or a raw +0..+40",
                 (int)(n > 64 ? 64 : n), s);
        return false;
    }
    }
    return false;
}

bool unit_rlimit_parse(const char *key, const char *value, unit_rlimit *out, char *why, size_t whylen)
{
    const char *name = key;
    if (str_starts_with(name, "Default"))
        name += 7;
    if (str_starts_with(name, "Limit"))
        name += 5;
    rlimit_unit u = RL_COUNT;
    size_t i = 0;
    for (; i < GE_ARRAY_LEN(rlimit_units); i++)
        if (strcmp(rlimit_units[i].name, name) == 0)
            break;
    if (i == GE_ARRAY_LEN(rlimit_units)) {
        snprintf(why, whylen, "%s is not a resource limit", key);
        return false;
    }
    u = rlimit_units[i].unit;
    memset(out, 0, sizeof(*out));
    const char *colon = strchr(value, ':');
    if (!colon) {
        if (!rlimit_part(u, value, strlen(value), &out->soft, why, whylen))
            return false;
        out->hard = out->soft;
        return true;
    }
    out->split = true;
    char w1[200] = "", w2[200] = "";
    bool ok1 = rlimit_part(u, value, (size_t)(colon - value), &out->soft, w1, sizeof(w1));
    bool ok2 = rlimit_part(u, colon + 1, strlen(colon + 1), &out->hard, w2, sizeof(w2));
    if (!ok1 || !ok2) {
        snprintf(why, whylen, "%s limit: %s", !ok1 ? "soft" : "hard", !ok1 ? w1 : w2);
        return false;
    }
    return true;
}

/* ---- Environment= words (systemd extract_first_word, UNQUOTE|CUNESCAPE) -- */

static bool env_name_valid(const char *s, size_t n)
{
    if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
            return false;
    return true;
}

size_t unit_env_split(arena *a, const char *value, unit_env_assign *out, size_t max, bool *bad_quote)
{
    size_t n = 0, i = 0, len = strlen(value);
    strbuf w = STRBUF_INIT;
    *bad_quote = false;
    while (i < len) {
        while (i < len && lines_blank(value[i]))
            i++;
        if (i >= len)
            break;
        size_t start = i;
        char quote = 0;
        strbuf_reset(&w);
        strbuf_addc(&w, '\0');
        w.len = 0;
        for (; i < len; i++) {
            char ch = value[i];
            if (ch == '\\' && i + 1 < len) {
                char nx = value[++i];
                switch (nx) {
                case 'n': strbuf_addc(&w, '\n'); break;
                case 't': strbuf_addc(&w, '\t'); break;
                case 'r': strbuf_addc(&w, '\r'); break;
                default: strbuf_addc(&w, nx); break;
                }
                continue;
            }
            if (quote) {
                if (ch == quote)
                    quote = 0;
                else
                    strbuf_addc(&w, ch);
                continue;
            }
            if (ch == '"' || ch == '\'') {
                quote = ch;
                continue;
            }
            if (lines_blank(ch))
                break;
            strbuf_addc(&w, ch);
        }
        if (quote) {
            *bad_quote = true;
            if (n < max) {
                out[n].name = NULL;
                out[n].value = NULL;
                out[n].word = arena_strndup(a, w.data, w.len);
                out[n].start = start;
                out[n].end = len;
            }
            n++;
            break;
        }
        if (n < max) {
            unit_env_assign *e = &out[n];
            e->word = arena_strndup(a, w.data, w.len);
            e->start = start;
            e->end = i;
            const char *eq = memchr(w.data, '=', w.len);
            if (eq && env_name_valid(w.data, (size_t)(eq - w.data))) {
                e->name = arena_strndup(a, w.data, (size_t)(eq - w.data));
                e->value = arena_strdup(a, eq + 1);
            } else {
                e->name = NULL;
                e->value = NULL;
            }
        }
        n++;
    }
    strbuf_release(&w);
    return n;
}
