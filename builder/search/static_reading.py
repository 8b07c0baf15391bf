"""The browser index read back in Python, as ``search.js`` reads it: for tests and benchmarks
(``benchmarks.agreement``), never for the site."""

from __future__ import annotations

import json
import struct
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from builder.search.packs import Ref, read_directory_entry, read_piece, read_ref


class _Bytes:
    def __init__(self, data: bytes, pos: int = 0):
        self.data, self.pos = data, pos

    def varint(self) -> int:
        value, shift = 0, 0
        while True:
            byte = self.data[self.pos]
            self.pos += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
            shift += 7

    def take(self, count: int) -> bytes:
        out = self.data[self.pos : self.pos + count]
        self.pos += count
        return out

    def ref(self) -> Ref:
        ref, self.pos = read_ref(self.data, self.pos)
        return ref


def _postings(reader: _Bytes) -> dict[int, int]:
    count = reader.varint()
    docs, previous = [], -1
    for _ in range(count):
        previous += reader.varint() + 1
        docs.append(previous)
    raw = reader.take(3 * count)
    impacts = [int.from_bytes(raw[3 * i : 3 * i + 3], "little") for i in range(count)]
    return dict(zip(docs, impacts, strict=True))


class StaticIndex:
    """A built site's ``tim-kiem/``: its manifest, dictionary entries, postings and records."""

    def __init__(self, search_dir: Path):
        self.root = Path(search_dir)
        self.manifest: dict[str, Any] = json.loads((self.root / "manifest.json").read_text(encoding="utf-8"))
        self.packs: list[str | None] = self.manifest["packs"]
        self._shards: dict[int, dict[str, dict[str, Any]]] = {}

    def _directory(self, key: str) -> Ref:
        pack, offset, length = self.manifest[key]
        return Ref(pack, offset, length, False)

    def piece(self, ref: Ref) -> bytes:
        return read_piece(self.root / "p", self.packs, ref)

    def shard(self, number: int) -> dict[str, dict[str, Any]]:
        """A dictionary shard's entries: term -> {df, scale, inline | tiers, membership, impacts}."""
        if number not in self._shards:
            ref = read_directory_entry(
                self.root / "p", self.packs, self._directory("shard_directory"), number
            )
            data = self.piece(ref)
            reader = _Bytes(data)
            entries: dict[str, dict[str, Any]] = {}
            while reader.pos < len(data):
                term = reader.take(reader.varint()).decode("utf-8")
                entry: dict[str, Any] = {
                    "df": reader.varint(),
                    "scale": struct.unpack("<f", reader.take(4))[0],
                }
                if reader.take(1) == b"\x00":
                    entry["inline"] = _postings(reader)
                else:
                    tiers = []
                    for _ in range(reader.varint()):
                        ref = reader.ref()
                        count = reader.varint()
                        tiers.append(
                            {"ref": ref, "count": count, "max": int.from_bytes(reader.take(3), "little")}
                        )
                    entry["tiers"] = tiers
                    if reader.take(1) == b"\x01":
                        entry["membership"], entry["impacts"] = reader.ref(), reader.ref()
                    else:
                        entry["membership"] = None
                entries[term] = entry
            self._shards[number] = entries
        return self._shards[number]

    def entry(self, term: str) -> dict[str, Any] | None:
        from builder.search.static_index import fnv1a

        return self.shard(fnv1a(term) % self.manifest["shards"]).get(term)

    def postings(self, entry: Mapping[str, Any]) -> dict[int, int]:
        """Every letter with the term and its quantized impact."""
        if "inline" in entry:
            return dict(entry["inline"])
        postings: dict[int, int] = {}
        for tier in entry["tiers"]:
            postings.update(_postings(_Bytes(self.piece(tier["ref"]))))
        return postings

    def display(self, docnum: int) -> dict[str, Any]:
        """What a result shows."""
        ref = read_directory_entry(self.root / "p", self.packs, self._directory("display_directory"), docnum)
        return dict(json.loads(self.piece(ref).decode("utf-8")))
