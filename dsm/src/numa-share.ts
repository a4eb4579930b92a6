/**
 * The guest's NUMA map as unum lays it out (coordinator's numaLayout writes
 * it into the FDT's memory nodes): RAM in contiguous shares of
 * floor(units / nodes) units, node n's starting at unit n × share, the last
 * node taking the rest (all of it when a share would be empty).
 */
export function numaShareUnits(units: number, nodes: number): number {
  return Math.floor(units / nodes);
}

/** The NUMA node whose memory holds `unit` (`--page-placement numa` starts the unit there). */
export function numaNodeOf(unit: number, units: number, nodes: number): number {
  const share = numaShareUnits(units, nodes);
  return share === 0 ? nodes - 1 : Math.min(Math.floor(unit / share), nodes - 1);
}
