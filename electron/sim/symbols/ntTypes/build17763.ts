// _KPROCESS and _EPROCESS of Windows 10 1809 (build 17763), from Microsoft's public symbols: a
// kd `dt nt!_EPROCESS` listing of 17763 and pdbex's reconstruction (ntdiff/headers) agree on every
// offset below. Checked against windowsLayouts.ts BUILD_17763 (UniqueProcessId +0x2e0, Token
// +0x358, ImageFileName +0x450). Simulator side; pure data in the form `typeTable.ts` reads.

export const BUILD_17763_TYPES = `
_KPROCESS 0x2d8
0x0 _DISPATCHER_HEADER Header
0x18 _LIST_ENTRY ProfileListHead
0x28 uint64_t DirectoryTableBase
0x30 _LIST_ENTRY ThreadListHead
0x40 uint32_t ProcessLock
0x44 uint32_t ProcessTimerDelay
0x48 uint64_t DeepFreezeStartTime
0x50 _KAFFINITY_EX Affinity
0xf8 _LIST_ENTRY ReadyListHead
0x108 _SINGLE_LIST_ENTRY SwapListEntry
0x110 _KAFFINITY_EX ActiveProcessors
0x1b8 uint32_t AutoAlignment:1
0x1b8 uint32_t DisableBoost:1
0x1b8 uint32_t DisableQuantum:1
0x1b8 uint32_t DeepFreeze:1
0x1b8 uint32_t TimerVirtualization:1
0x1b8 uint32_t CheckStackExtents:1
0x1b8 uint32_t CacheIsolationEnabled:1
0x1b8 uint32_t PpmPolicy:3
0x1b8 uint32_t ActiveGroupsMask:20
0x1b8 uint32_t VaSpaceDeleted:1
0x1b8 uint32_t ReservedFlags:1
0x1b8 volatile int32_t ProcessFlags
0x1bc char BasePriority
0x1bd char QuantumReset
0x1be char Visited
0x1bf _KEXECUTE_OPTIONS Flags
0x1c0 uint32_t ThreadSeed[20]
0x210 uint16_t IdealNode[20]
0x238 uint16_t IdealGlobalNode
0x23a uint16_t Spare1
0x23c _KSTACK_COUNT StackCount
0x240 _LIST_ENTRY ProcessListEntry
0x250 uint64_t CycleTime
0x258 uint64_t ContextSwitches
0x260 _KSCHEDULING_GROUP* SchedulingGroup
0x268 uint32_t FreezeCount
0x26c uint32_t KernelTime
0x270 uint32_t UserTime
0x274 uint32_t ReadyTime
0x278 uint64_t UserDirectoryTableBase
0x280 uint8_t AddressPolicy
0x281 uint8_t Spare2[71]
0x2c8 void* InstrumentationCallback
0x2d0 {8} SecureState

_EPROCESS 0x850
0x0 _KPROCESS Pcb
0x2d8 _EX_PUSH_LOCK ProcessLock
0x2e0 void* UniqueProcessId
0x2e8 _LIST_ENTRY ActiveProcessLinks
0x2f8 _EX_RUNDOWN_REF RundownProtect
0x300 uint32_t Flags2
0x300 uint32_t JobNotReallyActive:1
0x300 uint32_t AccountingFolded:1
0x300 uint32_t NewProcessReported:1
0x300 uint32_t ExitProcessReported:1
0x300 uint32_t ReportCommitChanges:1
0x300 uint32_t LastReportMemory:1
0x300 uint32_t ForceWakeCharge:1
0x300 uint32_t CrossSessionCreate:1
0x300 uint32_t NeedsHandleRundown:1
0x300 uint32_t RefTraceEnabled:1
0x300 uint32_t PicoCreated:1
0x300 uint32_t EmptyJobEvaluated:1
0x300 uint32_t DefaultPagePriority:3
0x300 uint32_t PrimaryTokenFrozen:1
0x300 uint32_t ProcessVerifierTarget:1
0x300 uint32_t RestrictSetThreadContext:1
0x300 uint32_t AffinityPermanent:1
0x300 uint32_t AffinityUpdateEnable:1
0x300 uint32_t PropagateNode:1
0x300 uint32_t ExplicitAffinity:1
0x300 uint32_t ProcessExecutionState:2
0x300 uint32_t EnableReadVmLogging:1
0x300 uint32_t EnableWriteVmLogging:1
0x300 uint32_t FatalAccessTerminationRequested:1
0x300 uint32_t DisableSystemAllowedCpuSet:1
0x300 uint32_t ProcessStateChangeRequest:2
0x300 uint32_t ProcessStateChangeInProgress:1
0x300 uint32_t InPrivate:1
0x304 uint32_t Flags
0x304 uint32_t CreateReported:1
0x304 uint32_t NoDebugInherit:1
0x304 uint32_t ProcessExiting:1
0x304 uint32_t ProcessDelete:1
0x304 uint32_t ManageExecutableMemoryWrites:1
0x304 uint32_t VmDeleted:1
0x304 uint32_t OutswapEnabled:1
0x304 uint32_t Outswapped:1
0x304 uint32_t FailFastOnCommitFail:1
0x304 uint32_t Wow64VaSpace4Gb:1
0x304 uint32_t AddressSpaceInitialized:2
0x304 uint32_t SetTimerResolution:1
0x304 uint32_t BreakOnTermination:1
0x304 uint32_t DeprioritizeViews:1
0x304 uint32_t WriteWatch:1
0x304 uint32_t ProcessInSession:1
0x304 uint32_t OverrideAddressSpace:1
0x304 uint32_t HasAddressSpace:1
0x304 uint32_t LaunchPrefetched:1
0x304 uint32_t Background:1
0x304 uint32_t VmTopDown:1
0x304 uint32_t ImageNotifyDone:1
0x304 uint32_t PdeUpdateNeeded:1
0x304 uint32_t VdmAllowed:1
0x304 uint32_t ProcessRundown:1
0x304 uint32_t ProcessInserted:1
0x304 uint32_t DefaultIoPriority:3
0x304 uint32_t ProcessSelfDelete:1
0x304 uint32_t SetTimerResolutionLink:1
0x308 _LARGE_INTEGER CreateTime
0x310 uint64_t ProcessQuotaUsage[2]
0x320 uint64_t ProcessQuotaPeak[2]
0x330 uint64_t PeakVirtualSize
0x338 uint64_t VirtualSize
0x340 _LIST_ENTRY SessionProcessLinks
0x350 void* ExceptionPortData
0x350 uint64_t ExceptionPortValue
0x350 uint64_t ExceptionPortState:3
0x358 _EX_FAST_REF Token
0x360 uint64_t MmReserved
0x368 _EX_PUSH_LOCK AddressCreationLock
0x370 _EX_PUSH_LOCK PageTableCommitmentLock
0x378 _ETHREAD* RotateInProgress
0x380 _ETHREAD* ForkInProgress
0x388 _EJOB* volatile CommitChargeJob
0x390 _RTL_AVL_TREE CloneRoot
0x398 volatile uint64_t NumberOfPrivatePages
0x3a0 volatile uint64_t NumberOfLockedPages
0x3a8 void* Win32Process
0x3b0 _EJOB* volatile Job
0x3b8 void* SectionObject
0x3c0 void* SectionBaseAddress
0x3c8 uint32_t Cookie
0x3d0 _PAGEFAULT_HISTORY* WorkingSetWatch
0x3d8 void* Win32WindowStation
0x3e0 void* InheritedFromUniqueProcessId
0x3e8 void* Spare0
0x3f0 volatile uint64_t OwnerProcessId
0x3f8 _PEB* Peb
0x400 _MM_SESSION_SPACE* Session
0x408 void* Spare1
0x410 _EPROCESS_QUOTA_BLOCK* QuotaBlock
0x418 _HANDLE_TABLE* ObjectTable
0x420 void* DebugPort
0x428 _EWOW64PROCESS* WoW64Process
0x430 void* DeviceMap
0x438 void* EtwDataSource
0x440 uint64_t PageDirectoryPte
0x448 _FILE_OBJECT* ImageFilePointer
0x450 uint8_t ImageFileName[15]
0x45f uint8_t PriorityClass
0x460 void* SecurityPort
0x468 _SE_AUDIT_PROCESS_CREATION_INFO SeAuditProcessCreationInfo
0x470 _LIST_ENTRY JobLinks
0x480 void* HighestUserAddress
0x488 _LIST_ENTRY ThreadListHead
0x498 volatile uint32_t ActiveThreads
0x49c uint32_t ImagePathHash
0x4a0 uint32_t DefaultHardErrorProcessing
0x4a4 int32_t LastThreadExitStatus
0x4a8 _EX_FAST_REF PrefetchTrace
0x4b0 void* LockedPagesList
0x4b8 _LARGE_INTEGER ReadOperationCount
0x4c0 _LARGE_INTEGER WriteOperationCount
0x4c8 _LARGE_INTEGER OtherOperationCount
0x4d0 _LARGE_INTEGER ReadTransferCount
0x4d8 _LARGE_INTEGER WriteTransferCount
0x4e0 _LARGE_INTEGER OtherTransferCount
0x4e8 uint64_t CommitChargeLimit
0x4f0 volatile uint64_t CommitCharge
0x4f8 volatile uint64_t CommitChargePeak
0x500 _MMSUPPORT_FULL Vm
0x610 _LIST_ENTRY MmProcessLinks
0x620 uint32_t ModifiedPageCount
0x624 int32_t ExitStatus
0x628 _RTL_AVL_TREE VadRoot
0x630 void* VadHint
0x638 uint64_t VadCount
0x640 volatile uint64_t VadPhysicalPages
0x648 uint64_t VadPhysicalPagesLimit
0x650 _ALPC_PROCESS_CONTEXT AlpcContext
0x670 _LIST_ENTRY TimerResolutionLink
0x680 _PO_DIAG_STACK_RECORD* TimerResolutionStackRecord
0x688 uint32_t RequestedTimerResolution
0x68c uint32_t SmallestTimerResolution
0x690 _LARGE_INTEGER ExitTime
0x698 _INVERTED_FUNCTION_TABLE* InvertedFunctionTable
0x6a0 _EX_PUSH_LOCK InvertedFunctionTableLock
0x6a8 uint32_t ActiveThreadsHighWatermark
0x6ac uint32_t LargePrivateVadCount
0x6b0 _EX_PUSH_LOCK ThreadListLock
0x6b8 void* WnfContext
0x6c0 _EJOB* ServerSilo
0x6c8 uint8_t SignatureLevel
0x6c9 uint8_t SectionSignatureLevel
0x6ca _PS_PROTECTION Protection
0x6cb uint8_t HangCount:3
0x6cb uint8_t GhostCount:3
0x6cb uint8_t PrefilterException:1
0x6cc uint32_t Flags3
0x6cc uint32_t Minimal:1
0x6cc uint32_t ReplacingPageRoot:1
0x6cc uint32_t Crashed:1
0x6cc uint32_t JobVadsAreTracked:1
0x6cc uint32_t VadTrackingDisabled:1
0x6cc uint32_t AuxiliaryProcess:1
0x6cc uint32_t SubsystemProcess:1
0x6cc uint32_t IndirectCpuSets:1
0x6cc uint32_t RelinquishedCommit:1
0x6cc uint32_t HighGraphicsPriority:1
0x6cc uint32_t CommitFailLogged:1
0x6cc uint32_t ReserveFailLogged:1
0x6cc uint32_t SystemProcess:1
0x6cc uint32_t HideImageBaseAddresses:1
0x6cc uint32_t AddressPolicyFrozen:1
0x6cc uint32_t ProcessFirstResume:1
0x6cc uint32_t ForegroundExternal:1
0x6cc uint32_t ForegroundSystem:1
0x6cc uint32_t HighMemoryPriority:1
0x6cc uint32_t EnableProcessSuspendResumeLogging:1
0x6cc uint32_t EnableThreadSuspendResumeLogging:1
0x6cc uint32_t SecurityDomainChanged:1
0x6cc uint32_t SecurityFreezeComplete:1
0x6cc uint32_t VmProcessorHost:1
0x6d0 int32_t DeviceAsid
0x6d8 void* SvmData
0x6e0 _EX_PUSH_LOCK SvmProcessLock
0x6e8 uint64_t SvmLock
0x6f0 _LIST_ENTRY SvmProcessDeviceListHead
0x700 uint64_t LastFreezeInterruptTime
0x708 _PROCESS_DISK_COUNTERS* DiskCounters
0x710 void* PicoContext
0x718 void* EnclaveTable
0x720 uint64_t EnclaveNumber
0x728 _EX_PUSH_LOCK EnclaveLock
0x730 uint32_t HighPriorityFaultsAllowed
0x738 _PO_PROCESS_ENERGY_CONTEXT* EnergyContext
0x740 void* VmContext
0x748 uint64_t SequenceNumber
0x750 uint64_t CreateInterruptTime
0x758 uint64_t CreateUnbiasedInterruptTime
0x760 uint64_t TotalUnbiasedFrozenTime
0x768 uint64_t LastAppStateUpdateTime
0x770 uint64_t LastAppStateUptime:61
0x770 uint64_t LastAppState:3
0x778 volatile uint64_t SharedCommitCharge
0x780 _EX_PUSH_LOCK SharedCommitLock
0x788 _LIST_ENTRY SharedCommitLinks
0x798 uint64_t AllowedCpuSets
0x7a0 uint64_t DefaultCpuSets
0x798 uint64_t* AllowedCpuSetsIndirect
0x7a0 uint64_t* DefaultCpuSetsIndirect
0x7a8 void* DiskIoAttribution
0x7b0 void* DxgProcess
0x7b8 uint32_t Win32KFilterSet
0x7c0 _PS_INTERLOCKED_TIMER_DELAY_VALUES ProcessTimerDelay
0x7c8 volatile uint32_t KTimerSets
0x7cc volatile uint32_t KTimer2Sets
0x7d0 volatile uint32_t ThreadTimerSets
0x7d8 uint64_t VirtualTimerListLock
0x7e0 _LIST_ENTRY VirtualTimerListHead
0x7f0 _WNF_STATE_NAME WakeChannel
0x7f0 _PS_PROCESS_WAKE_INFORMATION WakeInfo
0x820 uint32_t MitigationFlags
0x820 {4} MitigationFlagsValues
0x824 uint32_t MitigationFlags2
0x824 {4} MitigationFlags2Values
0x828 void* PartitionObject
0x830 uint64_t SecurityDomain
0x838 uint64_t ParentSecurityDomain
0x840 void* CoverageSamplerContext
0x848 void* MmHotPatchContext
`;

/** By-value member sizes this build adds to the common ones. */
export const BUILD_17763_SIZES: Readonly<Record<string, number>> = {
  _KPROCESS: 0x2d8,
  _EPROCESS: 0x850,
  _MMSUPPORT_FULL: 0x110,
};
