"""Sorts async-profiler's collapsed stacks (with thread names) by thread and by layer of the server.

    python3 bench/profile_summary.py collapsed.txt
"""
import collections
import re
import sys

# First match wins: the layer a sample is charged to is the innermost of these on its stack.
LAYERS = [
    ("store: SQLite/JDBC driver", ("org/sqlite/", "org/postgresql/", "com/zaxxer/")),
    ("store: our SQL code", ("io/wickrlocal/store/",)),
    ("service: rules, audit, idempotency", ("io/wickrlocal/service/",)),
    ("protocol: SigV4", ("io/wickrlocal/protocol/sigv4/",)),
    ("protocol: bind, validate, shape (contract)", ("io/wickrlocal/protocol/contract/",)),
    ("protocol: JSON (Jackson)", ("com/fasterxml/jackson/",)),
    ("protocol: our HTTP handler", ("io/wickrlocal/protocol/",)),
    ("HTTP: Jetty", ("org/eclipse/jetty/",)),
]


def layer(frames):
    for frame in reversed(frames):
        for name, prefixes in LAYERS:
            if frame.startswith(prefixes):
                return name
    return "JVM and kernel (GC, JIT, threads, sockets)"


def main():
    threads, layers = collections.Counter(), collections.Counter()
    total = 0
    for line in open(sys.argv[1]):
        stack, count = line.rsplit(" ", 1)
        count = int(count)
        frames = stack.split(";")
        thread = re.sub(r"[-#]?\d+$", "", frames[0].split(" tid=")[0].strip("[] "))
        threads[thread] += count
        layers[layer(frames[1:])] += count
        total += count
    print(f"{total} samples of processor time (1 ms each)")
    print("by thread:")
    for name, n in threads.most_common(8):
        print(f"  {100 * n / total:5.1f} %  {name}")
    print("by layer (the innermost of ours on the stack):")
    for name, n in layers.most_common():
        print(f"  {100 * n / total:5.1f} %  {name}")


if __name__ == "__main__":
    main()
