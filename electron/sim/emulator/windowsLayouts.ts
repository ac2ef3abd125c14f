// Structure offsets per Windows x64 build for `--os-build`: ImageFileName +0x450 up to 1909, +0x5a8
// from 19041 to 23H2, +0x338 from 24H2 (26100); KTHREAD+0xb8 and gs:[0x188] stable. Offsets follow
// the public symbol files of the named builds; resources/windows-builds.json lists the same values
// for the app (a test checks they agree). Simulator side; pure data.

export interface WindowsLayout {
  /** The build this layout was taken from; `--os-build` values map to the nearest one below. */
  readonly referenceBuild: number;
  readonly releaseName: string;
  // _EPROCESS (KPROCESS is at +0)
  readonly eprocessSize: number;
  readonly uniqueProcessId: number;
  readonly activeProcessLinks: number;
  readonly token: number;
  readonly inheritedFromUniqueProcessId: number;
  readonly peb: number;
  readonly imageFileName: number;
  readonly threadListHead: number;
  readonly activeThreads: number;
  // _ETHREAD (KTHREAD is at +0)
  readonly ethreadSize: number;
  readonly ethreadCid: number;
  readonly ethreadThreadListEntry: number;
}

/** Shared by every layout: KPCR/KPRCB and the KTHREAD fields an action may touch. */
export const STABLE_OFFSETS = {
  kpcrSelf: 0x18,
  kpcrCurrentPrcb: 0x20,
  kpcrPrcb: 0x180,
  /** gs:[0x188]: KPRCB.CurrentThread (spec §11.3, seed). */
  prcbCurrentThread: 0x8,
  prcbNextThread: 0x10,
  prcbIdleThread: 0x18,
  /** gs:[0x1a4]: KPRCB.Number, 16 bits (spec §11.3). */
  prcbNumber: 0x24,
  prcbRspBase: 0x28,
  kprocessDirectoryTableBase: 0x28,
  kthreadInitialStack: 0x28,
  kthreadStackLimit: 0x30,
  kthreadKernelStack: 0x58,
  /** KTHREAD.ApcState.Process (KAPC_STATE at +0x98, Process at +0x20): the seed's +0xb8. */
  kthreadApcStateProcess: 0xb8,
  kthreadTeb: 0xf0,
  kthreadProcess: 0x220,
  /** DISPATCHER_HEADER.Type values of the objects. */
  processObjectType: 3,
  threadObjectType: 6,
} as const;

const BUILD_17763: WindowsLayout = {
  referenceBuild: 17763,
  releaseName: '1809',
  eprocessSize: 0x850,
  uniqueProcessId: 0x2e0,
  activeProcessLinks: 0x2e8,
  token: 0x358,
  inheritedFromUniqueProcessId: 0x3e0,
  peb: 0x3f8,
  imageFileName: 0x450,
  threadListHead: 0x488,
  activeThreads: 0x498,
  ethreadSize: 0x810,
  ethreadCid: 0x648,
  ethreadThreadListEntry: 0x6a8,
};

const BUILD_18362: WindowsLayout = {
  referenceBuild: 18362,
  releaseName: '1903',
  eprocessSize: 0x880,
  uniqueProcessId: 0x2e8,
  activeProcessLinks: 0x2f0,
  token: 0x360,
  inheritedFromUniqueProcessId: 0x3e8,
  peb: 0x3f8,
  imageFileName: 0x450,
  threadListHead: 0x488,
  activeThreads: 0x498,
  ethreadSize: 0x810,
  ethreadCid: 0x648,
  ethreadThreadListEntry: 0x6b8,
};

const BUILD_19041: WindowsLayout = {
  referenceBuild: 19041,
  releaseName: '2004',
  eprocessSize: 0xa40,
  uniqueProcessId: 0x440,
  activeProcessLinks: 0x448,
  token: 0x4b8,
  inheritedFromUniqueProcessId: 0x540,
  peb: 0x550,
  imageFileName: 0x5a8,
  threadListHead: 0x5e0,
  activeThreads: 0x5f0,
  ethreadSize: 0x898,
  ethreadCid: 0x478,
  ethreadThreadListEntry: 0x4e8,
};

/** Windows 11 24H2 shrank EPROCESS (ntdiff/headers Win11_2409_24H2, Vergilius 24H2). */
const BUILD_26100: WindowsLayout = {
  referenceBuild: 26100,
  releaseName: '24H2',
  eprocessSize: 0x840,
  uniqueProcessId: 0x1d0,
  activeProcessLinks: 0x1d8,
  token: 0x248,
  inheritedFromUniqueProcessId: 0x2d0,
  peb: 0x2e0,
  imageFileName: 0x338,
  threadListHead: 0x370,
  activeThreads: 0x380,
  ethreadSize: 0x788,
  ethreadCid: 0x508,
  ethreadThreadListEntry: 0x578,
};

/** The oldest build offered: HyperDbg v0.23 needs Windows 10 1809 features anyway. */
export const OLDEST_SUPPORTED_BUILD = 17763;

/**
 * The builds the simulator offers by name (the connection dialog's list): each Windows 10/11
 * release from 1809 to 24H2. `--os-build` takes any other number too; it then gets the layout of
 * the nearest offered build below, as a Windows Insider build between releases would.
 */
export const OFFERED_OS_BUILDS: readonly { readonly build: number; readonly release: string }[] = [
  { build: 17763, release: 'Windows 10 1809' },
  { build: 18362, release: 'Windows 10 1903' },
  { build: 18363, release: 'Windows 10 1909' },
  { build: 19041, release: 'Windows 10 2004' },
  { build: 19042, release: 'Windows 10 20H2' },
  { build: 19043, release: 'Windows 10 21H1' },
  { build: 19044, release: 'Windows 10 21H2' },
  { build: 19045, release: 'Windows 10 22H2' },
  { build: 22000, release: 'Windows 11 21H2' },
  { build: 22621, release: 'Windows 11 22H2' },
  { build: 22631, release: 'Windows 11 23H2' },
  { build: 26100, release: 'Windows 11 24H2' },
];

/** The seed document's offsets (+0x450) are those of 1903/1909; 18363 (1909) is the default. */
export const DEFAULT_OS_BUILD = 18363;

export function layoutForBuild(build: number): WindowsLayout {
  if (build >= 26100) return BUILD_26100;
  if (build >= 19041) return BUILD_19041;
  if (build >= 18362) return BUILD_18362;
  return BUILD_17763;
}

/** The registry's DisplayVersion (absent before 20H2, which is 19042). */
export function displayVersion(build: number): string | null {
  const table: readonly [number, string][] = [
    [26100, '24H2'],
    [22631, '23H2'],
    [22621, '22H2'],
    [22000, '21H2'],
    [19045, '22H2'],
    [19044, '21H2'],
    [19043, '21H1'],
    [19042, '20H2'],
  ];
  for (const [b, name] of table) if (build >= b) return name;
  return null;
}
