/**
 * The node agent's window onto devices it does not host (all of them but
 * the CLINT today). In one process it is the coordinator's DeviceBus; later
 * it is a gRPC stub to the coordinator. Sizes are 1, 2, 4 or 8 bytes.
 */
export interface MmioBus {
  read(gpa: number, size: number): Promise<bigint>;
  write(gpa: number, size: number, value: bigint): Promise<void>;
}
