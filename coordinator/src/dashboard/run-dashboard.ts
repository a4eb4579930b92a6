/**
 * The dashboard of `unum run ... --dashboard [ADDR:PORT]`: one VM, its
 * console through a ConsoleTee; the URL goes to stderr (stdout is the
 * guest's). Beyond loopback the page needs the cluster token (UNUM_TOKEN).
 */
import { isLoopback } from './access.js';
import { readClusterToken } from '@unum/node-agent';
import type { Logger } from 'pino';
import type { Vm } from '../vm/vm.js';
import { ClusterTelemetry } from './cluster-telemetry.js';
import type { ConsoleTee } from './console-tee.js';
import type { DashboardServer } from './dashboard-server.js';
import { splitAddress } from './dashboard-address.js';

export const DEFAULT_DASHBOARD = '127.0.0.1:7780';

/** `--dashboard` alone means DEFAULT_DASHBOARD. */
export const dashboardAddress = (flag: string | boolean): string => (flag === true ? DEFAULT_DASHBOARD : String(flag));

/** The token the dashboard needs on this address: none on loopback, else the cluster secret (UNUM_TOKEN / --token-file). */
export function dashboardToken(address: string, tokenFile?: string): string | undefined {
  return isLoopback(splitAddress(address).host) ? undefined : readClusterToken({ tokenFile });
}

export async function openRunDashboard(flag: string | boolean, vm: Vm, tee: ConsoleTee, logger: Logger,
  tokenFile?: string): Promise<DashboardServer> {
  const address = dashboardAddress(flag);
  const telemetry = new ClusterTelemetry(vm, tee);
  const { DashboardServer } = await import('./dashboard-server.js'); // ws and prom-client only for a run that asks for the page
  const dash = await DashboardServer.start({ address, token: dashboardToken(address, tokenFile), vms: () => [telemetry], logger });
  process.stderr.write(`unum: dashboard at ${dash.url}\n`);
  return dash;
}
