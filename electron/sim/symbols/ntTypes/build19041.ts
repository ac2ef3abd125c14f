// _KPROCESS, _EPROCESS and _KTHREAD of Windows 10 2004-22H2 (builds 19041-19045 share ntoskrnl's
// layouts), from Microsoft's public symbols as the Vergilius Project publishes them (21H2 listing).
// Checked against windowsLayouts.ts BUILD_19041 (UniqueProcessId +0x440 ... ImageFileName +0x5a8).
// Simulator side; pure data in the form `typeTable.ts` reads.

export const BUILD_19041_TYPES = `
_KPROCESS 0x438
0x0 _DISPATCHER_HEADER Header
0x18 _LIST_ENTRY ProfileListHead
0x28 uint64_t DirectoryTableBase
0x30 _LIST_ENTRY ThreadListHead
0x40 uint32_t ProcessLock
0x44 uint32_t ProcessTimerDelay
0x48 uint64_t DeepFreezeStartTime
0x50 _KAFFINITY_EX Affinity
0xf8 uint64_t AffinityPadding[12]
0x158 _LIST_ENTRY ReadyListHead
0x168 _SINGLE_LIST_ENTRY SwapListEntry
0x170 _KAFFINITY_EX ActiveProcessors
0x218 uint64_t ActiveProcessorsPadding[12]
0x278 uint32_t AutoAlignment:1
0x278 uint32_t DisableBoost:1
0x278 uint32_t DisableQuantum:1
0x278 uint32_t DeepFreeze:1
0x278 uint32_t TimerVirtualization:1
0x278 uint32_t CheckStackExtents:1
0x278 uint32_t CacheIsolationEnabled:1
0x278 uint32_t PpmPolicy:3
0x278 uint32_t VaSpaceDeleted:1
0x278 uint32_t ReservedFlags:21
0x278 volatile int32_t ProcessFlags
0x27c uint32_t ActiveGroupsMask
0x280 char BasePriority
0x281 char QuantumReset
0x282 char Visited
0x283 _KEXECUTE_OPTIONS Flags
0x284 uint16_t ThreadSeed[20]
0x2ac uint16_t ThreadSeedPadding[12]
0x2c4 uint16_t IdealProcessor[20]
0x2ec uint16_t IdealProcessorPadding[12]
0x304 uint16_t IdealNode[20]
0x32c uint16_t IdealNodePadding[12]
0x344 uint16_t IdealGlobalNode
0x346 uint16_t Spare1
0x348 _KSTACK_COUNT StackCount
0x350 _LIST_ENTRY ProcessListEntry
0x360 uint64_t CycleTime
0x368 uint64_t ContextSwitches
0x370 _KSCHEDULING_GROUP* SchedulingGroup
0x378 uint32_t FreezeCount
0x37c uint32_t KernelTime
0x380 uint32_t UserTime
0x384 uint32_t ReadyTime
0x388 uint64_t UserDirectoryTableBase
0x390 uint8_t AddressPolicy
0x391 uint8_t Spare2[71]
0x3d8 void* InstrumentationCallback
0x3e0 {8} SecureState
0x3e8 uint64_t KernelWaitTime
0x3f0 uint64_t UserWaitTime
0x3f8 uint64_t EndPadding[8]

_EPROCESS 0xa40
0x0 _KPROCESS Pcb
0x438 _EX_PUSH_LOCK ProcessLock
0x440 void* UniqueProcessId
0x448 _LIST_ENTRY ActiveProcessLinks
0x458 _EX_RUNDOWN_REF RundownProtect
0x460 uint32_t Flags2
0x460 uint32_t JobNotReallyActive:1
0x460 uint32_t AccountingFolded:1
0x460 uint32_t NewProcessReported:1
0x460 uint32_t ExitProcessReported:1
0x460 uint32_t ReportCommitChanges:1
0x460 uint32_t LastReportMemory:1
0x460 uint32_t ForceWakeCharge:1
0x460 uint32_t CrossSessionCreate:1
0x460 uint32_t NeedsHandleRundown:1
0x460 uint32_t RefTraceEnabled:1
0x460 uint32_t PicoCreated:1
0x460 uint32_t EmptyJobEvaluated:1
0x460 uint32_t DefaultPagePriority:3
0x460 uint32_t PrimaryTokenFrozen:1
0x460 uint32_t ProcessVerifierTarget:1
0x460 uint32_t RestrictSetThreadContext:1
0x460 uint32_t AffinityPermanent:1
0x460 uint32_t AffinityUpdateEnable:1
0x460 uint32_t PropagateNode:1
0x460 uint32_t ExplicitAffinity:1
0x460 uint32_t ProcessExecutionState:2
0x460 uint32_t EnableReadVmLogging:1
0x460 uint32_t EnableWriteVmLogging:1
0x460 uint32_t FatalAccessTerminationRequested:1
0x460 uint32_t DisableSystemAllowedCpuSet:1
0x460 uint32_t ProcessStateChangeRequest:2
0x460 uint32_t ProcessStateChangeInProgress:1
0x460 uint32_t InPrivate:1
0x464 uint32_t Flags
0x464 uint32_t CreateReported:1
0x464 uint32_t NoDebugInherit:1
0x464 uint32_t ProcessExiting:1
0x464 uint32_t ProcessDelete:1
0x464 uint32_t ManageExecutableMemoryWrites:1
0x464 uint32_t VmDeleted:1
0x464 uint32_t OutswapEnabled:1
0x464 uint32_t Outswapped:1
0x464 uint32_t FailFastOnCommitFail:1
0x464 uint32_t Wow64VaSpace4Gb:1
0x464 uint32_t AddressSpaceInitialized:2
0x464 uint32_t SetTimerResolution:1
0x464 uint32_t BreakOnTermination:1
0x464 uint32_t DeprioritizeViews:1
0x464 uint32_t WriteWatch:1
0x464 uint32_t ProcessInSession:1
0x464 uint32_t OverrideAddressSpace:1
0x464 uint32_t HasAddressSpace:1
0x464 uint32_t LaunchPrefetched:1
0x464 uint32_t Background:1
0x464 uint32_t VmTopDown:1
0x464 uint32_t ImageNotifyDone:1
0x464 uint32_t PdeUpdateNeeded:1
0x464 uint32_t VdmAllowed:1
0x464 uint32_t ProcessRundown:1
0x464 uint32_t ProcessInserted:1
0x464 uint32_t DefaultIoPriority:3
0x464 uint32_t ProcessSelfDelete:1
0x464 uint32_t SetTimerResolutionLink:1
0x468 _LARGE_INTEGER CreateTime
0x470 uint64_t ProcessQuotaUsage[2]
0x480 uint64_t ProcessQuotaPeak[2]
0x490 uint64_t PeakVirtualSize
0x498 uint64_t VirtualSize
0x4a0 _LIST_ENTRY SessionProcessLinks
0x4b0 void* ExceptionPortData
0x4b0 uint64_t ExceptionPortValue
0x4b0 uint64_t ExceptionPortState:3
0x4b8 _EX_FAST_REF Token
0x4c0 uint64_t MmReserved
0x4c8 _EX_PUSH_LOCK AddressCreationLock
0x4d0 _EX_PUSH_LOCK PageTableCommitmentLock
0x4d8 _ETHREAD* RotateInProgress
0x4e0 _ETHREAD* ForkInProgress
0x4e8 _EJOB* volatile CommitChargeJob
0x4f0 _RTL_AVL_TREE CloneRoot
0x4f8 volatile uint64_t NumberOfPrivatePages
0x500 volatile uint64_t NumberOfLockedPages
0x508 void* Win32Process
0x510 _EJOB* volatile Job
0x518 void* SectionObject
0x520 void* SectionBaseAddress
0x528 uint32_t Cookie
0x530 _PAGEFAULT_HISTORY* WorkingSetWatch
0x538 void* Win32WindowStation
0x540 void* InheritedFromUniqueProcessId
0x548 volatile uint64_t OwnerProcessId
0x550 _PEB* Peb
0x558 _MM_SESSION_SPACE* Session
0x560 void* Spare1
0x568 _EPROCESS_QUOTA_BLOCK* QuotaBlock
0x570 _HANDLE_TABLE* ObjectTable
0x578 void* DebugPort
0x580 _EWOW64PROCESS* WoW64Process
0x588 void* DeviceMap
0x590 void* EtwDataSource
0x598 uint64_t PageDirectoryPte
0x5a0 _FILE_OBJECT* ImageFilePointer
0x5a8 uint8_t ImageFileName[15]
0x5b7 uint8_t PriorityClass
0x5b8 void* SecurityPort
0x5c0 _SE_AUDIT_PROCESS_CREATION_INFO SeAuditProcessCreationInfo
0x5c8 _LIST_ENTRY JobLinks
0x5d8 void* HighestUserAddress
0x5e0 _LIST_ENTRY ThreadListHead
0x5f0 volatile uint32_t ActiveThreads
0x5f4 uint32_t ImagePathHash
0x5f8 uint32_t DefaultHardErrorProcessing
0x5fc int32_t LastThreadExitStatus
0x600 _EX_FAST_REF PrefetchTrace
0x608 void* LockedPagesList
0x610 _LARGE_INTEGER ReadOperationCount
0x618 _LARGE_INTEGER WriteOperationCount
0x620 _LARGE_INTEGER OtherOperationCount
0x628 _LARGE_INTEGER ReadTransferCount
0x630 _LARGE_INTEGER WriteTransferCount
0x638 _LARGE_INTEGER OtherTransferCount
0x640 uint64_t CommitChargeLimit
0x648 volatile uint64_t CommitCharge
0x650 volatile uint64_t CommitChargePeak
0x680 _MMSUPPORT_FULL Vm
0x7c0 _LIST_ENTRY MmProcessLinks
0x7d0 uint32_t ModifiedPageCount
0x7d4 int32_t ExitStatus
0x7d8 _RTL_AVL_TREE VadRoot
0x7e0 void* VadHint
0x7e8 uint64_t VadCount
0x7f0 volatile uint64_t VadPhysicalPages
0x7f8 uint64_t VadPhysicalPagesLimit
0x800 _ALPC_PROCESS_CONTEXT AlpcContext
0x820 _LIST_ENTRY TimerResolutionLink
0x830 _PO_DIAG_STACK_RECORD* TimerResolutionStackRecord
0x838 uint32_t RequestedTimerResolution
0x83c uint32_t SmallestTimerResolution
0x840 _LARGE_INTEGER ExitTime
0x848 _INVERTED_FUNCTION_TABLE* InvertedFunctionTable
0x850 _EX_PUSH_LOCK InvertedFunctionTableLock
0x858 uint32_t ActiveThreadsHighWatermark
0x85c uint32_t LargePrivateVadCount
0x860 _EX_PUSH_LOCK ThreadListLock
0x868 void* WnfContext
0x870 _EJOB* ServerSilo
0x878 uint8_t SignatureLevel
0x879 uint8_t SectionSignatureLevel
0x87a _PS_PROTECTION Protection
0x87b uint8_t HangCount:3
0x87b uint8_t GhostCount:3
0x87b uint8_t PrefilterException:1
0x87c uint32_t Flags3
0x87c uint32_t Minimal:1
0x87c uint32_t ReplacingPageRoot:1
0x87c uint32_t Crashed:1
0x87c uint32_t JobVadsAreTracked:1
0x87c uint32_t VadTrackingDisabled:1
0x87c uint32_t AuxiliaryProcess:1
0x87c uint32_t SubsystemProcess:1
0x87c uint32_t IndirectCpuSets:1
0x87c uint32_t RelinquishedCommit:1
0x87c uint32_t HighGraphicsPriority:1
0x87c uint32_t CommitFailLogged:1
0x87c uint32_t ReserveFailLogged:1
0x87c uint32_t SystemProcess:1
0x87c uint32_t HideImageBaseAddresses:1
0x87c uint32_t AddressPolicyFrozen:1
0x87c uint32_t ProcessFirstResume:1
0x87c uint32_t ForegroundExternal:1
0x87c uint32_t ForegroundSystem:1
0x87c uint32_t HighMemoryPriority:1
0x87c uint32_t EnableProcessSuspendResumeLogging:1
0x87c uint32_t EnableThreadSuspendResumeLogging:1
0x87c uint32_t SecurityDomainChanged:1
0x87c uint32_t SecurityFreezeComplete:1
0x87c uint32_t VmProcessorHost:1
0x87c uint32_t VmProcessorHostTransition:1
0x87c uint32_t AltSyscall:1
0x87c uint32_t TimerResolutionIgnore:1
0x87c uint32_t DisallowUserTerminate:1
0x880 int32_t DeviceAsid
0x888 void* SvmData
0x890 _EX_PUSH_LOCK SvmProcessLock
0x898 uint64_t SvmLock
0x8a0 _LIST_ENTRY SvmProcessDeviceListHead
0x8b0 uint64_t LastFreezeInterruptTime
0x8b8 _PROCESS_DISK_COUNTERS* DiskCounters
0x8c0 void* PicoContext
0x8c8 void* EnclaveTable
0x8d0 uint64_t EnclaveNumber
0x8d8 _EX_PUSH_LOCK EnclaveLock
0x8e0 uint32_t HighPriorityFaultsAllowed
0x8e8 _PO_PROCESS_ENERGY_CONTEXT* EnergyContext
0x8f0 void* VmContext
0x8f8 uint64_t SequenceNumber
0x900 uint64_t CreateInterruptTime
0x908 uint64_t CreateUnbiasedInterruptTime
0x910 uint64_t TotalUnbiasedFrozenTime
0x918 uint64_t LastAppStateUpdateTime
0x920 uint64_t LastAppStateUptime:61
0x920 uint64_t LastAppState:3
0x928 volatile uint64_t SharedCommitCharge
0x930 _EX_PUSH_LOCK SharedCommitLock
0x938 _LIST_ENTRY SharedCommitLinks
0x948 uint64_t AllowedCpuSets
0x950 uint64_t DefaultCpuSets
0x948 uint64_t* AllowedCpuSetsIndirect
0x950 uint64_t* DefaultCpuSetsIndirect
0x958 void* DiskIoAttribution
0x960 void* DxgProcess
0x968 uint32_t Win32KFilterSet
0x970 _PS_INTERLOCKED_TIMER_DELAY_VALUES ProcessTimerDelay
0x978 volatile uint32_t KTimerSets
0x97c volatile uint32_t KTimer2Sets
0x980 volatile uint32_t ThreadTimerSets
0x988 uint64_t VirtualTimerListLock
0x990 _LIST_ENTRY VirtualTimerListHead
0x9a0 _WNF_STATE_NAME WakeChannel
0x9a0 _PS_PROCESS_WAKE_INFORMATION WakeInfo
0x9d0 uint32_t MitigationFlags
0x9d0 {4} MitigationFlagsValues
0x9d4 uint32_t MitigationFlags2
0x9d4 {4} MitigationFlags2Values
0x9d8 void* PartitionObject
0x9e0 uint64_t SecurityDomain
0x9e8 uint64_t ParentSecurityDomain
0x9f0 void* CoverageSamplerContext
0x9f8 void* MmHotPatchContext
0xa00 _RTL_AVL_TREE DynamicEHContinuationTargetsTree
0xa08 _EX_PUSH_LOCK DynamicEHContinuationTargetsLock
0xa10 _PS_DYNAMIC_ENFORCED_ADDRESS_RANGES DynamicEnforcedCetCompatibleRanges
0xa20 uint32_t DisabledComponentFlags

_KTHREAD 0x430
0x0 _DISPATCHER_HEADER Header
0x18 void* SListFaultAddress
0x20 uint64_t QuantumTarget
0x28 void* InitialStack
0x30 void* volatile StackLimit
0x38 void* StackBase
0x40 uint64_t ThreadLock
0x48 volatile uint64_t CycleTime
0x50 uint32_t CurrentRunTime
0x54 uint32_t ExpectedRunTime
0x58 void* KernelStack
0x60 _XSAVE_FORMAT* StateSaveArea
0x68 _KSCHEDULING_GROUP* volatile SchedulingGroup
0x70 _KWAIT_STATUS_REGISTER WaitRegister
0x71 volatile uint8_t Running
0x72 uint8_t Alerted[2]
0x74 uint32_t AutoBoostActive:1
0x74 uint32_t ReadyTransition:1
0x74 uint32_t WaitNext:1
0x74 uint32_t SystemAffinityActive:1
0x74 uint32_t Alertable:1
0x74 uint32_t UserStackWalkActive:1
0x74 uint32_t ApcInterruptRequest:1
0x74 uint32_t QuantumEndMigrate:1
0x74 uint32_t UmsDirectedSwitchEnable:1
0x74 uint32_t TimerActive:1
0x74 uint32_t SystemThread:1
0x74 uint32_t ProcessDetachActive:1
0x74 uint32_t CalloutActive:1
0x74 uint32_t ScbReadyQueue:1
0x74 uint32_t ApcQueueable:1
0x74 uint32_t ReservedStackInUse:1
0x74 uint32_t UmsPerformingSyscall:1
0x74 uint32_t TimerSuspended:1
0x74 uint32_t SuspendedWaitMode:1
0x74 uint32_t SuspendSchedulerApcWait:1
0x74 uint32_t CetUserShadowStack:1
0x74 uint32_t BypassProcessFreeze:1
0x74 uint32_t Reserved:10
0x74 int32_t MiscFlags
0x78 uint32_t ThreadFlagsSpare:2
0x78 uint32_t AutoAlignment:1
0x78 uint32_t DisableBoost:1
0x78 uint32_t AlertedByThreadId:1
0x78 uint32_t QuantumDonation:1
0x78 uint32_t EnableStackSwap:1
0x78 uint32_t GuiThread:1
0x78 uint32_t DisableQuantum:1
0x78 uint32_t ChargeOnlySchedulingGroup:1
0x78 uint32_t DeferPreemption:1
0x78 uint32_t QueueDeferPreemption:1
0x78 uint32_t ForceDeferSchedule:1
0x78 uint32_t SharedReadyQueueAffinity:1
0x78 uint32_t FreezeCount:1
0x78 uint32_t TerminationApcRequest:1
0x78 uint32_t AutoBoostEntriesExhausted:1
0x78 uint32_t KernelStackResident:1
0x78 uint32_t TerminateRequestReason:2
0x78 uint32_t ProcessStackCountDecremented:1
0x78 uint32_t RestrictedGuiThread:1
0x78 uint32_t VpBackingThread:1
0x78 uint32_t ThreadFlagsSpare2:1
0x78 uint32_t EtwStackTraceApcInserted:8
0x78 volatile int32_t ThreadFlags
0x7c volatile uint8_t Tag
0x7d uint8_t SystemHeteroCpuPolicy
0x7e uint8_t UserHeteroCpuPolicy:7
0x7e uint8_t ExplicitSystemHeteroCpuPolicy:1
0x7f uint8_t RunningNonRetpolineCode:1
0x7f uint8_t SpecCtrlSpare:7
0x7f uint8_t SpecCtrl
0x80 uint32_t SystemCallNumber
0x84 uint32_t ReadyTime
0x88 void* FirstArgument
0x90 _KTRAP_FRAME* TrapFrame
0x98 _KAPC_STATE ApcState
0x98 uint8_t ApcStateFill[43]
0xc3 char Priority
0xc4 uint32_t UserIdealProcessor
0xc8 volatile int64_t WaitStatus
0xd0 _KWAIT_BLOCK* WaitBlockList
0xd8 _LIST_ENTRY WaitListEntry
0xd8 _SINGLE_LIST_ENTRY SwapListEntry
0xe8 _DISPATCHER_HEADER* volatile Queue
0xf0 void* Teb
0xf8 uint64_t RelativeTimerBias
0x100 _KTIMER Timer
0x140 _KWAIT_BLOCK WaitBlock[4]
0x140 uint8_t WaitBlockFill4[20]
0x154 uint32_t ContextSwitches
0x140 uint8_t WaitBlockFill5[68]
0x184 volatile uint8_t State
0x185 char Spare13
0x186 uint8_t WaitIrql
0x187 char WaitMode
0x140 uint8_t WaitBlockFill6[116]
0x1b4 uint32_t WaitTime
0x140 uint8_t WaitBlockFill7[164]
0x1e4 int16_t KernelApcDisable
0x1e6 int16_t SpecialApcDisable
0x1e4 uint32_t CombinedApcDisable
0x140 uint8_t WaitBlockFill8[40]
0x168 _KTHREAD_COUNTERS* ThreadCounters
0x140 uint8_t WaitBlockFill9[88]
0x198 _XSTATE_SAVE* XStateSave
0x140 uint8_t WaitBlockFill10[136]
0x1c8 void* volatile Win32Thread
0x140 uint8_t WaitBlockFill11[176]
0x1f0 _UMS_CONTROL_BLOCK* Ucb
0x1f8 _KUMS_CONTEXT_HEADER* volatile Uch
0x200 volatile int32_t ThreadFlags2
0x200 uint32_t BamQosLevel:8
0x200 uint32_t ThreadFlags2Reserved:24
0x204 uint32_t Spare21
0x208 _LIST_ENTRY QueueListEntry
0x218 volatile uint32_t NextProcessor
0x218 uint32_t NextProcessorNumber:31
0x218 uint32_t SharedReadyQueue:1
0x21c int32_t QueuePriority
0x220 _KPROCESS* Process
0x228 _GROUP_AFFINITY UserAffinity
0x228 uint8_t UserAffinityFill[10]
0x232 char PreviousMode
0x233 char BasePriority
0x234 char PriorityDecrement
0x234 uint8_t ForegroundBoost:4
0x234 uint8_t UnusualBoost:4
0x235 uint8_t Preempted
0x236 uint8_t AdjustReason
0x237 char AdjustIncrement
0x238 uint64_t AffinityVersion
0x240 _GROUP_AFFINITY Affinity
0x240 uint8_t AffinityFill[10]
0x24a uint8_t ApcStateIndex
0x24b uint8_t WaitBlockCount
0x24c uint32_t IdealProcessor
0x250 uint64_t NpxState
0x258 _KAPC_STATE SavedApcState
0x258 uint8_t SavedApcStateFill[43]
0x283 uint8_t WaitReason
0x284 char SuspendCount
0x285 char Saturation
0x286 uint16_t SListFaultCount
0x288 _KAPC SchedulerApc
0x288 uint8_t SchedulerApcFill0[1]
0x289 uint8_t ResourceIndex
0x288 uint8_t SchedulerApcFill1[3]
0x28b uint8_t QuantumReset
0x288 uint8_t SchedulerApcFill2[4]
0x28c uint32_t KernelTime
0x288 uint8_t SchedulerApcFill3[64]
0x2c8 _KPRCB* volatile WaitPrcb
0x288 uint8_t SchedulerApcFill4[72]
0x2d0 void* LegoData
0x288 uint8_t SchedulerApcFill5[83]
0x2db uint8_t CallbackNestingLevel
0x2dc uint32_t UserTime
0x2e0 _KEVENT SuspendEvent
0x2f8 _LIST_ENTRY ThreadListEntry
0x308 _LIST_ENTRY MutantListHead
0x318 uint8_t AbEntrySummary
0x319 uint8_t AbWaitEntryCount
0x31a uint8_t AbAllocationRegionCount
0x31b char SystemPriority
0x31c uint32_t SecureThreadCookie
0x320 _KLOCK_ENTRY* LockEntries
0x328 _SINGLE_LIST_ENTRY PropagateBoostsEntry
0x330 _SINGLE_LIST_ENTRY IoSelfBoostsEntry
0x338 uint8_t PriorityFloorCounts[16]
0x348 uint8_t PriorityFloorCountsReserved[16]
0x358 uint32_t PriorityFloorSummary
0x35c volatile int32_t AbCompletedIoBoostCount
0x360 volatile int32_t AbCompletedIoQoSBoostCount
0x364 volatile int16_t KeReferenceCount
0x366 uint8_t AbOrphanedEntrySummary
0x367 uint8_t AbOwnedEntryCount
0x368 uint32_t ForegroundLossTime
0x370 _LIST_ENTRY GlobalForegroundListEntry
0x370 _SINGLE_LIST_ENTRY ForegroundDpcStackListEntry
0x378 uint64_t InGlobalForegroundList
0x380 int64_t ReadOperationCount
0x388 int64_t WriteOperationCount
0x390 int64_t OtherOperationCount
0x398 int64_t ReadTransferCount
0x3a0 int64_t WriteTransferCount
0x3a8 int64_t OtherTransferCount
0x3b0 _KSCB* QueuedScb
0x3b8 volatile uint32_t ThreadTimerDelay
0x3bc volatile int32_t ThreadFlags3
0x3bc uint32_t ThreadFlags3Reserved:8
0x3bc uint32_t PpmPolicy:2
0x3bc uint32_t ThreadFlags3Reserved2:22
0x3c0 uint64_t TracingPrivate[1]
0x3c8 void* SchedulerAssist
0x3d0 void* volatile AbWaitObject
0x3d8 uint32_t ReservedPreviousReadyTimeValue
0x3e0 uint64_t KernelWaitTime
0x3e8 uint64_t UserWaitTime
0x3f0 _LIST_ENTRY GlobalUpdateVpThreadPriorityListEntry
0x3f0 _SINGLE_LIST_ENTRY UpdateVpThreadPriorityDpcStackListEntry
0x3f8 uint64_t InGlobalUpdateVpThreadPriorityList
0x400 int32_t SchedulerAssistPriorityFloor
0x404 uint32_t Spare28
0x408 uint64_t EndPadding[5]
`;

/** By-value member sizes this build adds to the common ones. */
export const BUILD_19041_SIZES: Readonly<Record<string, number>> = {
  _KPROCESS: 0x438,
  _EPROCESS: 0xa40,
  _KTHREAD: 0x430,
  _MMSUPPORT_FULL: 0x140,
  _PS_DYNAMIC_ENFORCED_ADDRESS_RANGES: 0x10,
  _KWAIT_STATUS_REGISTER: 0x1,
  _KAPC_STATE: 0x30,
  _KTIMER: 0x40,
  _KWAIT_BLOCK: 0x30,
  _GROUP_AFFINITY: 0x10,
  _KAPC: 0x58,
  _KEVENT: 0x18,
};
