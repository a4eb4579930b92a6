/**
 * A device the VM asked for that this node cannot open (a drive file that is
 * missing or unwritable, a TAP it may not attach). The VM's input is bad, not
 * the node: the coordinator refuses the VM with one line (exit 2), as an
 * embedded cluster does when it probes the same things before starting.
 */
export class DeviceOpenError extends Error {
  override readonly name = 'DeviceOpenError';
}
