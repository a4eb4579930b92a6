/**
 * The host end of a guest NIC, as ConsolePort is the UART's: whole Ethernet
 * frames (no virtio header, no preamble or FCS). The device model sees only
 * this; a TAP, a socket or a test's in-memory wire sits behind it.
 */
export interface NetPort {
  /** One frame from the guest to the host network. Never throws: a frame that cannot go is lost, as on a wire. */
  send(frame: Uint8Array): void;
  /** The device calls this once; the port pushes each host frame through it. */
  onFrame(receive: (frame: Uint8Array) => void): void;
  /** The guest has no receive buffers: hold frames back (the port may drop what it cannot hold). */
  pause(): void;
  resume(): void;
  close(): void;
}
