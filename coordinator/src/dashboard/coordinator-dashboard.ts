/**
 * The dashboard of a standing coordinator (`unum coordinator --dashboard
 * ADDR:PORT`): every VM created through its API, newest first in the page
 * (`?vm=ID` picks another), plus /api/status with members and VMs.
 */
import type { Logger } from 'pino';
import type { Vm } from '../vm/vm.js';
import type { CoordinatorServer } from '../cluster/coordinator-server.js';
import { ClusterTelemetry } from './cluster-telemetry.js';
import type { DashboardServer } from './dashboard-server.js';

/** `hosts`: names the dashboard answers to besides loopback and its bound host (`--dashboard-host`, see host-check.ts). */
export async function coordinatorDashboard(coord: CoordinatorServer, address: string, token: string, logger: Logger,
  hosts: string[] = []): Promise<DashboardServer> {
  const seen = new WeakMap<Vm, ClusterTelemetry>();
  const vms = (): ClusterTelemetry[] => [...coord.vms.values()].filter((vm) => vm.state !== 'creating').map((vm) => {
    let t = seen.get(vm);
    if (!t) seen.set(vm, (t = new ClusterTelemetry(vm, coord.consoleOf(vm.id))));
    return t;
  });
  const { DashboardServer } = await import('./dashboard-server.js'); // ws and prom-client: loaded when a dashboard opens
  const dash = await DashboardServer.start({ address, token, vms, logger, status: () => coord.statusJson(), allowedHosts: hosts });
  logger.info({ url: dash.url }, 'dashboard');
  return dash;
}
