/**
 * The virtio-mmio slot as the board places it: its device-tree node, as
 * QEMU virt writes it. The transports themselves are built on the VM's
 * device node (VirtioSlots), next to the DSM their devices DMA through, so
 * this kind has no `create`: the coordinator forwards these windows there.
 */
import { node, prop } from '../../fdt/fdt-blob.js';
import { unitName, type DeviceKind } from '../device.js';

export const virtioMmio: DeviceKind = {
  name: 'virtio_mmio',
  onDeviceNode: true,
  fdt: (at, refs) => node(unitName('virtio_mmio', at.base), [
    ['interrupts', prop.u32(at.irq!)],
    ['interrupt-parent', prop.u32(refs.irqParent)],
    ['reg', prop.u64(at.base, at.size)],
    ['compatible', prop.str('virtio,mmio')],
  ]),
};
