#!/usr/bin/env python3
"""Redis's own time per call of the hybrid store's hot scripts, one version of `lua/` against
another, on one Redis: what a change to the scripts costs, without the engine, PostgreSQL or the
network in the figure (pg_load's rates move by a fifth from run to run on a shared machine).

    git archive <commit> adapters/redis/lua | tar -x -C /tmp/before
    python3 benches/redis_scripts.py before=/tmp/before/adapters/redis/lua now=adapters/redis/lua

Each version is loaded as a function library of its own (built as src/scripts.rs builds it, under
the name `bcbench_<name>`), seeds a show of 300 seats with its own `seed`, and is sent a file of
FCALLs with `redis-cli --pipe`:
- pairs: place 2 seats and release them, again and again (holds are numbered 1, 3, 5... as the
  ticks go, so the file is written ahead);
- refused: places of 2 seats another owner holds, each refused with `seat_unavailable`.
The figure is `usec_per_call` of `cmdstat_fcall` (INFO commandstats, reset before each run): the
time Redis spent in each call, script included. Versions and workloads alternate, round after
round, so a busy machine weighs on all alike; compare medians. Options: --rounds N (default 9),
--calls N (pairs or refusals per run, default 20000), --redis host:port (default 127.0.0.1:6379).
"""
import argparse
import os
import socket
import statistics
import subprocess
import tempfile

BODIES = ['place', 'extend', 'release', 'hold', 'consume', 'unconsume', 'settle', 'confirm',
          'unconfirm', 'confirmed', 'free', 'outbox', 'sweep', 'close', 'cancelled', 'seed',
          'ticks', 'taken']
NOW = 1_893_456_000_000
QUOTE = '{"currency":"EUR","lines":[' + ','.join(
    '{"seat":"A%d","price":1000,"adjustments":[]}' % i for i in range(2)) + '],"total":2000}'


def resp(*args):
    out = [b'*%d\r\n' % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b'$%d\r\n%s\r\n' % (len(a), a))
    return b''.join(out)


class Redis:
    """Just enough of a client: one connection, one call at a time."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.sock = socket.create_connection((host, port))
        self.f = self.sock.makefile('rb')

    def call(self, *args):
        self.sock.sendall(resp(*args))
        return self.read()

    def read(self):
        line = self.f.readline().rstrip(b'\r\n')
        kind, rest = line[:1], line[1:]
        if kind == b'+':
            return rest.decode()
        if kind == b'-':
            raise RuntimeError(rest.decode())
        if kind == b':':
            return int(rest)
        if kind == b'$':
            n = int(rest)
            return None if n < 0 else self.f.read(n + 2)[:-2].decode()
        if kind == b'*':
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise RuntimeError(line)


def library(name, lua_dir):
    code = open(os.path.join(lua_dir, 'prelude.lua')).read()
    for body_name in BODIES:
        body = open(os.path.join(lua_dir, body_name + '.lua')).read()
        code += (f"\nredis.register_function('{{LIB}}_{body_name}', function(KEYS, ARGV)\n"
                 f"bind(KEYS)\n{body}\nend)\n")
    lib = f'bcbench_{name}'
    return lib, f'#!lua name={lib}\n' + code.replace('{LIB}', lib)


def keys(name):
    state = f'bcbench:{{{name}}}:5:S'
    return state, [state] + [state[:-1] + k for k in 'HQEX']


def place(lib, key, seats, owner):
    return resp('FCALL', f'{lib}_place', 1, key, NOW, NOW + 600_000, NOW + 1_800_000, 1000, owner, QUOTE,
                10 ** 9, '', '', '', '', *seats)


def release(lib, key, number, owner):
    # The hold's id last: scripts from before it was passed ignore it.
    return resp('FCALL', f'{lib}_release', 1, key, number, owner, NOW, '', number)


def prepare(r, name, lua_dir):
    lib, code = library(name, lua_dir)
    r.call('FUNCTION', 'LOAD', 'REPLACE', code)
    state, all_keys = keys(name)
    r.call('DEL', *all_keys)
    seeded = r.call('FCALL', f'{lib}_seed', 1, state, 1, 'scheduled', 300, 1, 10 ** 9, 3_600_000, '', 0)
    assert seeded == ['ok'], seeded
    return lib, state


def workload(lib, state, kind, calls, path):
    with open(path, 'wb') as f:
        if kind == 'pairs':
            for i in range(calls):
                first = (2 * i) % 300
                f.write(place(lib, state, [first, first + 1], 'client-1'))
                f.write(release(lib, state, 2 * i + 1, 'client-1'))
        else:
            f.write(place(lib, state, [0, 1], 'holder'))
            for _ in range(calls):
                f.write(place(lib, state, [0, 1], 'client-1'))


def usec_per_fcall(r):
    for line in r.call('INFO', 'commandstats').splitlines():
        if line.startswith('cmdstat_fcall:'):
            fields = dict(kv.split('=') for kv in line.split(':', 1)[1].split(','))
            return float(fields['usec_per_call'])
    return float('nan')


def run(r, name, lua_dir, kind, calls, tmp):
    lib, state = prepare(r, name, lua_dir)
    path = os.path.join(tmp, f'{name}-{kind}.resp')
    workload(lib, state, kind, calls, path)
    r.call('CONFIG', 'RESETSTAT')
    with open(path, 'rb') as f:
        out = subprocess.run(['redis-cli', '-h', r.host, '-p', str(r.port), '--pipe'], stdin=f,
                             capture_output=True, text=True, check=True)
    assert 'errors: 0' in out.stdout, out.stdout
    return usec_per_fcall(r)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('versions', nargs='+', help='name=path of a lua/ directory')
    p.add_argument('--rounds', type=int, default=9)
    p.add_argument('--calls', type=int, default=20_000)
    p.add_argument('--redis', default='127.0.0.1:6379')
    args = p.parse_args()
    host, port = args.redis.rsplit(':', 1)
    r = Redis(host, int(port))
    versions = [v.split('=', 1) for v in args.versions]
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(args.rounds):
            for kind in ['pairs', 'refused']:
                for name, lua_dir in versions:
                    usec = run(r, name, lua_dir, kind, args.calls, tmp)
                    figures.setdefault((kind, name), []).append(usec)
                    load = open('/proc/loadavg').read().split()[0]
                    print(f'round {round_} {kind:7} {name:10} {usec:6.2f} µs/call  (load {load})', flush=True)
    for name, _ in versions:
        r.call('DEL', *keys(name)[1])
        r.call('FUNCTION', 'DELETE', f'bcbench_{name}')
    print('\n| workload | version | median µs per call | min | max |\n|---|---|---|---|---|')
    for (kind, name), v in sorted(figures.items()):
        print(f'| {kind} | {name} | {statistics.median(v):.2f} | {min(v):.2f} | {max(v):.2f} |')


if __name__ == '__main__':
    main()
