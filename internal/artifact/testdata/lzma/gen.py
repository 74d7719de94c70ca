#!/usr/bin/env python3
"""Regenerates the LZMA test vectors with Python's lzma module (liblzma), a reference encoder.

The plain input is rebuilt by lzmaPlain in sevenzip_test.go from the same recipe: text from a
small vocabulary chosen by a linear congruential generator, a stretch of incompressible
bytes (which makes the LZMA2 encoder emit stored chunks), and x86-like CALL/JMP bytes for
the branch filter. Run from this directory: python3 gen.py
"""
import lzma

def plain():
    words = [b"tensor", b"weight", b"bias", b"layer", b"model", b"attention", b"mlp", b"norm",
             b"embed", b"head", b"query", b"key", b"value", b"output", b"gate", b"proj"]
    x = 12345
    def lcg():
        nonlocal x
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        return x
    out = bytearray()
    while len(out) < 96 << 10:
        out += words[(lcg() >> 16) % len(words)] + b" "
    for _ in range(24 << 10):
        out.append((lcg() >> 16) & 0xFF)
    while len(out) < 160 << 10:
        r = lcg() >> 16
        if r % 7 == 0:
            out += bytes([0xE8 | (r & 1), r & 0xFF, (r >> 8) & 0xFF, 0, 0 if r & 2 else 0xFF])
        else:
            out += words[r % len(words)] + b"."
    return bytes(out)

data = plain()
dict_size = 1 << 20
lc, lp, pb = 3, 0, 2
lzma1 = lzma.compress(data, format=lzma.FORMAT_RAW,
                      filters=[{"id": lzma.FILTER_LZMA1, "dict_size": dict_size, "lc": lc, "lp": lp, "pb": pb}])
props = bytes([(pb * 5 + lp) * 9 + lc]) + dict_size.to_bytes(4, "little")
open("plain.lzma", "wb").write(props + lzma1)
# LZMA2 dictionary property 16 means 1 MiB.
open("plain.lzma2", "wb").write(bytes([16]) + lzma.compress(
    data, format=lzma.FORMAT_RAW, filters=[{"id": lzma.FILTER_LZMA2, "dict_size": dict_size}]))
open("plain.x86.lzma2", "wb").write(bytes([16]) + lzma.compress(
    data, format=lzma.FORMAT_RAW, filters=[{"id": lzma.FILTER_X86}, {"id": lzma.FILTER_LZMA2, "dict_size": dict_size}]))
print(len(data), "plain bytes")
