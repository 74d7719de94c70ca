#!/usr/bin/env python3
"""Walk a file of pickles with pickletools.genops, the way a Python scanner does.

Counts opcodes and imports (GLOBAL, INST, STACK_GLOBAL) without unpickling, and prints one
line: "opcodes N globals G seconds S". Several pickles in a row are walked in turn.
"""
import pickletools
import sys
import time


def main(path):
    opcodes = imports = 0
    start = time.perf_counter()
    with open(path, "rb") as f:
        size = f.seek(0, 2)
        f.seek(0)
        while f.tell() < size:
            for op, _arg, _pos in pickletools.genops(f):
                opcodes += 1
                if op.name in ("GLOBAL", "INST", "STACK_GLOBAL"):
                    imports += 1
    elapsed = time.perf_counter() - start
    print(f"opcodes {opcodes} globals {imports} seconds {elapsed:.3f}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: pickle_walk.py FILE")
    main(sys.argv[1])
