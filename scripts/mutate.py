#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Mutation testing: does the test suite catch small, deliberate bugs?

For each mutant of tests/mutate/mutants.txt, in a scratch copy of the
tree: apply it (the old text must occur exactly once in the named
function), rebuild, and run the suite (meson test, stopping at the first
failure).  A mutant the suite fails on is killed.  A delivery mutant (an
interrupt lost, duplicated or misrouted) is also run against the
conservation oracle alone (the stress test), which must kill it too.

usage: scripts/mutate.py [--work DIR] [NAME ...]
Prints one line per mutant, then "N passed, N failed" (passed = killed);
exits 1 when a mutant survives.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ORACLE_TEST = 'unit/stress'


def parse(path):
    mutants, cur = [], None
    with open(path) as f:
        for raw in f:
            line = raw.rstrip('\n')
            if line.startswith('== '):
                m = re.match(r'== (\S+) \((\w+)\)$', line)
                if not m:
                    sys.exit(f'{path}: bad header: {line}')
                cur = {'name': m.group(1), 'kind': m.group(2),
                       'old': [], 'new': []}
                mutants.append(cur)
            elif cur is None or not line or line.startswith('#'):
                continue
            elif line.startswith('file: '):
                cur['file'] = line[6:]
            elif line.startswith('function: '):
                cur['function'] = line[10:]
            elif line.startswith('- '):
                cur['old'].append(line[2:])
            elif line.startswith('+ '):
                cur['new'].append(line[2:])
            else:
                sys.exit(f'{path}: cannot read: {line}')
    return mutants


def function_span(text, name):
    """Start and end offsets of the body of function NAME (C, kernel style)."""
    m = re.search(r'^[A-Za-z_][^;{}()]*\b' + re.escape(name) + r'\s*\([^;{]*\)\s*\n\{',
                  text, re.M)
    if not m:
        return None
    start = m.end() - 1
    end = text.find('\n}\n', start)
    return (start, end + 2) if end >= 0 else None


def apply(tree, mut, write=True):
    path = os.path.join(tree, mut['file'])
    with open(path) as f:
        text = f.read()
    span = function_span(text, mut['function'])
    if not span:
        return None, f"function {mut['function']} not found"
    body = text[span[0]:span[1]]
    old = '\n'.join(mut['old']) + '\n'
    if body.count(old) != 1:
        return None, f"text found {body.count(old)} times in {mut['function']}"
    new = '\n'.join(mut['new']) + '\n' if mut['new'] else ''
    mutated = text[:span[0]] + body.replace(old, new) + text[span[1]:]
    if write:
        with open(path, 'w') as f:
            f.write(mutated)
    return text, None


def check(mutants):
    """--check: every mutant still applies to the source, nothing built."""
    stale = 0
    for mut in mutants:
        _, problem = apply(TOP, mut, write=False)
        if problem:
            print(f"stale mutant {mut['name']} ({mut['file']}): {problem}")
            stale += 1
    print(f'{len(mutants) - stale} of {len(mutants)} mutants apply')
    return 1 if stale else 0


def run(cmd, cwd, log):
    with open(log, 'a') as out:
        out.write('$ ' + ' '.join(cmd) + '\n')
        out.flush()
        return subprocess.call(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)


def first_failure(build):
    log = os.path.join(build, 'meson-logs', 'testlog.txt')
    try:
        with open(log) as f:
            for line in f:
                m = re.match(r'\s*\d+/\d+ (\S+) +(FAIL|TIMEOUT|ERROR)', line)
                if m:
                    return m.group(1)
                m = re.match(r'test:\s+spirq:(\S+ / \S+)', line)
                if m:
                    last = m.group(1)
                if line.startswith('result:') and 'exit status 0' not in line:
                    return last.split(' / ')[-1]
    except OSError:
        pass
    return '?'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--work', default='/tmp/spirq-mutate')
    ap.add_argument('--check', action='store_true',
                    help='only check that every mutant still applies')
    ap.add_argument('names', nargs='*')
    args = ap.parse_args()

    mutants = parse(os.path.join(TOP, 'tests/mutate/mutants.txt'))
    if args.names:
        mutants = [m for m in mutants if m['name'] in args.names]
    if args.check:
        sys.exit(check(mutants))
    tree = os.path.join(args.work, 'tree')
    build = os.path.join(args.work, 'build')
    log = os.path.join(args.work, 'mutate.log')
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    files = subprocess.check_output(['git', 'ls-files', '-co', '--exclude-standard'],
                                    cwd=TOP, text=True).split('\n')
    for rel in filter(None, files):
        if rel.startswith(('build', 'integrations/')):
            continue
        src = os.path.join(TOP, rel)
        if os.path.isfile(src):
            os.makedirs(os.path.dirname(os.path.join(tree, rel)), exist_ok=True)
            shutil.copy2(src, os.path.join(tree, rel))

    print(f'mutate: baseline build in {build}', flush=True)
    if run(['meson', 'setup', build, '-Dbuildtype=debugoptimized'], tree, log) or \
       run(['ninja', '-C', build], tree, log):
        sys.exit('mutate: the unmutated tree does not build (see ' + log + ')')
    test = ['meson', 'test', '-C', build, '--num-processes', '2', '--maxfail', '1',
            '--no-rebuild', '--print-errorlogs']
    if run(test, tree, log):
        sys.exit('mutate: the unmutated tree fails its tests (see ' + log + ')')

    killed = survived = 0
    for mut in mutants:
        t0 = time.time()
        original, problem = apply(tree, mut)
        if problem:
            print(f"SURVIVED {mut['name']}: cannot apply: {problem}", flush=True)
            survived += 1
            continue
        try:
            if run(['ninja', '-C', build], tree, log):
                # a mutant must be a program the compiler accepts: one that
                # does not build proves nothing about the tests
                verdict, by = False, 'does not compile'
            else:
                verdict = run(test, tree, log) != 0
                by = first_failure(build) if verdict else ''
            oracle = ''
            if mut['kind'] == 'delivery' and verdict:
                alone = run(['meson', 'test', '-C', build, '--no-rebuild', ORACLE_TEST],
                            tree, log) != 0
                oracle = ', oracle alone: ' + ('killed' if alone else 'SURVIVED')
                verdict = verdict and alone
        finally:
            with open(os.path.join(tree, mut['file']), 'w') as f:
                f.write(original)
        secs = time.time() - t0
        if verdict:
            killed += 1
            print(f"killed   {mut['name']} ({mut['function']}): by {by}{oracle} [{secs:.0f} s]",
                  flush=True)
        else:
            survived += 1
            print(f"SURVIVED {mut['name']} ({mut['function']}){oracle}"
                  f"{': ' + by if by else ''} [{secs:.0f} s]", flush=True)
    run(['ninja', '-C', build], tree, log)
    print(f'mutants: {killed} of {killed + survived} killed')
    print(f'{killed} passed, {survived} failed')
    return 1 if survived else 0


if __name__ == '__main__':
    sys.exit(main())
