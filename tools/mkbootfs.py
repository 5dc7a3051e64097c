#!/usr/bin/env python3
"""Writes a boot file set (see kernel/core/bootfs.h).

usage: mkbootfs.py OUT FILE... [--dir DIR]
Each FILE is stored under its base name (or NAME=PATH); --dir adds every
regular file under DIR by its path relative to DIR (a later file of the
same name replaces an earlier one). Data is page aligned."""
import os
import struct
import sys

NAME_MAX = 48


def collect(args):
    files = []
    it = iter(args)
    for a in it:
        if a == "--dir":
            d = next(it)
            for top, dirs, names in os.walk(d):
                dirs.sort()
                for n in sorted(names):
                    path = os.path.join(top, n)
                    if os.path.isfile(path):
                        files.append((os.path.relpath(path, d), path))
        elif "=" in a:
            name, path = a.split("=", 1)
            files.append((name, path))
        else:
            files.append((os.path.basename(a), a))
    return files


def main():
    out, files = sys.argv[1], collect(sys.argv[2:])
    files = list(dict((n, (n, p)) for n, p in files).values())
    names = [n for n, _ in files]
    for n in names:
        if not n or len(n.encode()) >= NAME_MAX:
            sys.exit("mkbootfs: bad name %r" % n)
    if len(set(names)) != len(names):
        sys.exit("mkbootfs: duplicate names")
    header = 16 + 64 * len(files)
    offset = (header + 4095) & ~4095
    entries, blobs = b"", []
    for name, path in files:
        data = open(path, "rb").read()
        entries += struct.pack("<48sQQ", name.encode(), offset, len(data))
        blobs.append((offset, data))
        offset = (offset + len(data) + 4095) & ~4095
    img = bytearray(offset)
    img[0:16] = struct.pack("<8sII", b"BOOTFS01", len(files), 0)
    img[16:header] = entries
    for off, data in blobs:
        img[off:off + len(data)] = data
    with open(out, "wb") as f:
        f.write(img)


if __name__ == "__main__":
    main()
