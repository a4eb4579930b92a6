/**
 * virtio 1.2 numbers the transport and the devices share: the virtio-mmio
 * (version 2) register offsets (§4.2.2), device status bits (§2.1), feature
 * bits, device IDs (§5) and split-ring descriptor flags (§2.7.5).
 */
export const MMIO_MAGIC = 0x74726976; // "virt"
export const MMIO_VERSION = 2;
/** QEMU's vendor id ("QEMU"), which Linux does not care about. */
export const VENDOR_ID = 0x554d4551;

export const REG = {
  magic: 0x000, version: 0x004, deviceId: 0x008, vendorId: 0x00c,
  deviceFeatures: 0x010, deviceFeaturesSel: 0x014, driverFeatures: 0x020, driverFeaturesSel: 0x024,
  queueSel: 0x030, queueNumMax: 0x034, queueNum: 0x038, queueReady: 0x044, queueNotify: 0x050,
  interruptStatus: 0x060, interruptAck: 0x064, status: 0x070,
  queueDescLow: 0x080, queueDescHigh: 0x084, queueDriverLow: 0x090, queueDriverHigh: 0x094,
  queueDeviceLow: 0x0a0, queueDeviceHigh: 0x0a4, configGeneration: 0x0fc, config: 0x100,
} as const;

export const STATUS = {
  acknowledge: 1, driver: 2, driverOk: 4, featuresOk: 8, needsReset: 64, failed: 128,
} as const;

/** InterruptStatus bits. */
export const INT_USED_BUFFER = 1;
export const INT_CONFIG_CHANGE = 2;

/** Feature bit 32: a virtio 1.x device (no legacy). */
export const VIRTIO_F_VERSION_1 = 1n << 32n;

export const DEVICE_ID = { none: 0, net: 1, blk: 2, console: 3, rng: 4 } as const;

export const DESC_F_NEXT = 1;
export const DESC_F_WRITE = 2;
export const DESC_F_INDIRECT = 4;
