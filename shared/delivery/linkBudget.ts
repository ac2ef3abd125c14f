// What each of v0.23's delivery paths can carry: the VMI reader's packet rate and size, the kernel
// ring, and Debugger Mode's link (serial baud or named pipe) in bytes/s. Shared by the simulator's
// link model and the app's delivery plan, so both use the same numbers. Pure.

/** DefaultSpeedOfReadingKernelMessages: the VMI reader sleeps this long per packet (spec §6.1). */
export const VMI_READER_SLEEP_MS = 30;
/** At most this many packets/s cross the VMI reader (one per sleep; Windows' timer may make it fewer). */
export const VMI_PACKETS_PER_S = 1000 / VMI_READER_SLEEP_MS;
/** Visible characters one printf can carry: PacketChunkSize - 1 with its NUL (spec §5.1). */
export const MAX_PACKET_CHARS = 4094;
/** MaximumPacketsCapacity: regular slots per pool before the ring overwrites silently (spec §6.1). */
export const KERNEL_RING_SLOTS = 1000;
/** A serial port sends 8N1: 10 bits on the wire per byte. */
export const SERIAL_BITS_PER_BYTE = 10;
/**
 * A VM's named pipe is no bottleneck in practice, and no constant for it was found (spec §6.2,
 * [not verified]): assumed 1 MB/s unless the user says otherwise (`sim --pipe-rate`).
 */
export const DEFAULT_PIPE_BYTES_PER_S = 1_000_000;
/**
 * Bytes a logging packet adds on the Debugger-Mode link around its text: DEBUGGER_REMOTE_PACKET
 * (Checksum, Indicator, type, action: 24 bytes naturally aligned), the UINT32 operation code, the
 * text's NUL and the 4-byte end marker `00 80 EE FF` (spec §6.2) [inferred].
 */
export const LINK_PACKET_OVERHEAD_BYTES = 24 + 4 + 1 + 4;

/** Bytes/s a serial link at `baud` carries (8N1). */
export function serialBytesPerSecond(baud: number): number {
  return baud / SERIAL_BITS_PER_BYTE;
}

/** UTF-8 length of a packet's text (record lines are ASCII, so usually its length). */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Bytes one logging packet with `text` occupies on the Debugger-Mode link. */
export function linkPacketBytes(text: string): number {
  return utf8Length(text) + LINK_PACKET_OVERHEAD_BYTES;
}
