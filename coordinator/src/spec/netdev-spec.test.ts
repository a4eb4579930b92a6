import { describe, expect, it } from 'vitest';
import { MachineError } from '../machine-error.js';
import { checkNetdevs, netdevOf, netdevsOf } from './netdev-spec.js';

describe('--netdev', () => {
  it('parses QEMU\'s tap form, with defaults for id and MAC', () => {
    expect(netdevOf('tap,ifname=tap0,script=no,downscript=no')).toEqual({ id: 'net0', ifname: 'tap0', mac: '52:54:00:12:34:56' });
    expect(netdevsOf(['tap,ifname=a', 'tap,id=up,ifname=b,mac=02:00:00:00:00:AA'])).toEqual([
      { id: 'net0', ifname: 'a', mac: '52:54:00:12:34:56' },
      { id: 'up', ifname: 'b', mac: '02:00:00:00:00:aa' },
    ]);
  });

  it.each([
    ['tap', /ifname=NAME is required/],
    ['user', /no user-mode network backend/],
    ['bridge,br=br0', /unknown backend 'bridge'/],
    ['tap,ifname=this-name-is-too-long', /1-15 of/],
    ['tap,ifname=t0,script=/etc/qemu-ifup', /runs no scripts/],
    ['tap,ifname=t0,vhost=on', /unknown option vhost=/],
    ['tap,ifname=t0,mac=52:54:00', /bad MAC address/],
    ['tap,ifname=t0,mac=01:00:5e:00:00:01', /multicast/],
    ['tap,ifname=t0,ifname=t1', /ifname= given twice/],
    ['tap,ifname', /not key=value/],
  ])('refuses %s with one line', (text, why) => {
    let err: unknown;
    try {
      netdevOf(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MachineError);
    expect((err as Error).message).toMatch(why);
    expect((err as Error).message).not.toContain('\n');
  });

  it('refuses two netdevs on one interface', () => {
    expect(() => netdevsOf(['tap,ifname=t0', 'tap,ifname=t0'])).toThrow(/ifname t0 is used twice/);
  });

  it('checks NICs off the wire as the CLI does', () => {
    const net = (id: string, ifname: string, mac: string) => ({ kind: { $case: 'net' as const, value: { id, ifname, mac } } });
    expect(() => checkNetdevs([net('n0', 't0', '52:54:00:12:34:56'), { kind: { $case: 'rng', value: {} } }])).not.toThrow();
    expect(() => checkNetdevs([net('n0', 't 0', '52:54:00:12:34:56')])).toThrow(/bad TAP interface name/);
    expect(() => checkNetdevs([net('n0', 't0', 'zz')])).toThrow(/bad MAC/);
    expect(() => checkNetdevs([net('n0', 't0', '52:54:00:12:34:56'), net('n1', 't1', '52:54:00:12:34:56')])).toThrow(/mac .* used twice/);
  });
});
