"""Pack files: the browser index's pieces, many to a file, each read with a Range request.

A host limits files, not bytes read (Cloudflare Pages 20,000 files a site; issue 19): the
pieces of the browser index (impact tiers, memberships, impact columns, dictionary shards,
the results' display records) are written into ``p/<sha1-12>.pack`` files of at most
``PACK_BYTES`` each, and a piece is found by its reference: pack number, offset, length.
A piece worth compressing is stored raw-deflated (the browser inflates it with
``DecompressionStream("deflate-raw")``), so that reading a part costs what the whole file
cost gzipped; the impact columns, read a few bytes at a time, are stored as they are.

``.pack`` files are never precompressed (``vanban precompress`` skips the suffix): a host
serving a ``.gz`` twin answers a Range request with the whole file (nginx's ``gzip_static``).
"""

from __future__ import annotations

import hashlib
import os
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

PACK_BYTES = 16 * 1024 * 1024
"""A pack is closed once it holds this much (Cloudflare Pages takes files up to 25 MiB)."""
PACK_SUFFIX = ".pack"
MIN_COMPRESSED = 96
"""Pieces shorter than this are stored raw (deflate saves nothing worth a decompression)."""
DIRECTORY_ENTRY = struct.Struct("<HII")
"""A fixed-width reference (pack, offset, length << 1 | deflated): the shard and display
directories, where the browser reads the n-th entry with a Range request."""


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    return compressor.compress(data) + compressor.flush()


@dataclass(frozen=True, slots=True)
class Ref:
    """Where a piece is: pack number, offset and length in the pack, deflated or not."""

    pack: int
    offset: int
    length: int
    deflated: bool

    def encode(self) -> bytes:
        return varint(self.pack) + varint(self.offset) + varint(self.length << 1 | self.deflated)

    def directory_entry(self) -> bytes:
        return DIRECTORY_ENTRY.pack(self.pack, self.offset, self.length << 1 | self.deflated)


@dataclass(slots=True)
class PackWriter:
    """Appends pieces to packs under ``root``; equal pieces are stored once.

    Pack numbers are ``first``, ``first + step``, ``first + 2 × step``…: writers that run side
    by side (the export's term workers) number their packs apart without talking to each other.
    """

    root: Path
    first: int = 0
    step: int = 1
    names: dict[int, str] = field(default_factory=dict)
    bytes_written: int = 0
    _current: bytearray = field(default_factory=bytearray)
    _seen: dict[bytes, Ref] = field(default_factory=dict)

    @property
    def _number(self) -> int:
        return self.first + self.step * len(self.names)

    def put(self, data: bytes, compress: bool = True) -> Ref:
        stored, deflated = data, False
        if compress and len(data) >= MIN_COMPRESSED:
            packed = deflate(data)
            if len(packed) < len(data) * 0.95:
                stored, deflated = packed, True
        key = hashlib.sha1(stored).digest() + bytes([deflated])
        if key in self._seen:
            return self._seen[key]
        if self._current and len(self._current) + len(stored) > PACK_BYTES:
            self.close()
        ref = Ref(self._number, len(self._current), len(stored), deflated)
        self._current += stored
        self._seen[key] = ref
        return ref

    def close(self) -> None:
        """Writes the open pack (named by its content's hash)."""
        if not self._current:
            return
        name = hashlib.sha1(self._current).hexdigest()[:12]
        path = self.root / f"{name}{PACK_SUFFIX}"
        written = path.with_name(f".{path.name}.{os.getpid()}")
        written.write_bytes(bytes(self._current))
        os.replace(written, path)  # never written in place: a served or carried site may share it
        self.names[self._number] = name
        self.bytes_written += len(self._current)
        self._current = bytearray()
        self._seen.clear()


def pack_list(names: dict[int, str]) -> list[str | None]:
    """The manifest's list of packs, by number (None where no writer used a number)."""
    return [names.get(number) for number in range(max(names, default=-1) + 1)]


# --------------------------------------------------------------------------- reading back


def read_ref(data: bytes, pos: int) -> tuple[Ref, int]:
    values = []
    for _ in range(3):
        value, shift = 0, 0
        while True:
            byte = data[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                break
            shift += 7
        values.append(value)
    return Ref(values[0], values[1], values[2] >> 1, bool(values[2] & 1)), pos


def read_piece(packs_dir: Path, packs: list[str | None], ref: Ref) -> bytes:
    with open(packs_dir / f"{packs[ref.pack]}{PACK_SUFFIX}", "rb") as handle:
        handle.seek(ref.offset)
        data = handle.read(ref.length)
    return zlib.decompress(data, -15) if ref.deflated else data


def read_directory_entry(packs_dir: Path, packs: list[str | None], directory: Ref, number: int) -> Ref:
    raw = read_piece(packs_dir, packs, directory)
    pack, offset, length = DIRECTORY_ENTRY.unpack_from(raw, number * DIRECTORY_ENTRY.size)
    return Ref(pack, offset, length >> 1, bool(length & 1))
