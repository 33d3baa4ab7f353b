"""Our Whoosh codec: posting blocks as little-endian arrays that numpy reads without unpickling.

Whoosh's own codec (whoosh3) pickles each block of 128 postings as (id deltas, weights,
values), and a position list is itself a pickle inside that pickle: reading the ids of a
block meant inflating and unpickling it (block_scoring used to parse the pickle protocol by
hand to stop before the positions), and a phrase of two common words unpickled one list per
document. This codec keeps everything else of whoosh3 (term index, columns, stored fields,
vectors, segments) and changes only the term posting blocks:

    term:   b"DRa1", then blocks
    block:  header  <IIIIfBBBB  size of part A, size of part B, postings, last id, max weight,
                                min and max length byte, flags, array codes
            part A  id deltas (uint8/16/32), then float32 weights unless all are the same
            part B  the values: for Positions, per-document counts then position deltas
                    (uint8/16/32); for a fixed-size format its bytes; otherwise uint32
                    lengths then the bytes
    Each part is zlib-compressed when that makes it smaller (a flag says so).

Scoring reads part A alone; a phrase reads part B of the blocks holding its candidates.
Whoosh's matchers read the same blocks through ArrayLeafMatcher (a W3LeafMatcher whose block
reading is ours), so its queries, merges and highlighting see the values Whoosh encoded.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from collections.abc import Iterator
from itertools import accumulate, chain
from pickle import dumps, loads
from typing import Any

import numpy as np
from whoosh import formats
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3LeafMatcher, W3PerDocReader, W3PostingsWriter
from whoosh.columns import NumericColumn
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte

MAGIC = b"DRa1"
_HEADER = struct.Struct("<IIIIfBBBB")
_LAST = 1  # flags
_A_ZIPPED = 2
_B_ZIPPED = 4
_SAME_WEIGHT = 8  # every weight equals the block's max weight: none stored
# Array codes: 2 bits each (ids, position counts, positions) -> dtype.
_DTYPES = (np.dtype("<u1"), np.dtype("<u2"), np.dtype("<u4"))
_TYPECODES = ("B", "H", "I" if array("I").itemsize == 4 else "L")
_F32 = np.dtype("<f4")
_U32 = np.dtype("<u4")


def _pack(raw: bytes, level: int) -> tuple[bytes, bool]:
    if level and len(raw) > 32:
        packed = zlib.compress(raw, level)
        if len(packed) < len(raw):
            return packed, True
    return raw, False


def _is_positions(fmt: Any) -> bool:
    # Exactly Whoosh's Positions: its values are a count and pickled deltas (Characters and the
    # boost formats carry more than positions, and keep their bytes as they are).
    return type(fmt) is formats.Positions


class ArrayCodec(W3Codec):  # type: ignore[misc]
    """whoosh3 with our posting blocks (vector postings, keyed by bytes, stay whoosh3's)."""

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        if byteids:
            return super().postings_writer(dbfile, byteids=True)
        return ArrayPostingsWriter(
            dbfile, blocklimit=self._blocklimit, compression=self._compression, inlinelimit=self._inlinelimit
        )

    def per_document_reader(self, storage: Any, segment: Any) -> Any:
        return LengthsOnceReader(storage, segment)

    def postings_reader(self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None) -> Any:
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        return ArrayLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


class LengthsOnceReader(W3PerDocReader):  # type: ignore[misc]
    """whoosh3's per-document reader, reading each field's length column in one piece.

    A commit asks for the field length of every posting it writes (a fifth of a merge's time
    went to reading one byte from the column file per posting); Whoosh's scoring asks once
    per document it scores.
    """

    def __init__(self, storage: Any, segment: Any) -> None:
        super().__init__(storage, segment)
        self._length_bytes: dict[str, bytes | None] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: Any = 0) -> Any:
        if docnum > self._doccount:
            raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
        if fieldname not in self._length_bytes:
            self._length_bytes[fieldname] = self._read_lengths(fieldname)
        lengths = self._length_bytes[fieldname]
        if lengths is None:
            return default
        # As whoosh3: a length byte of 0 (an empty field, or past the column's end) gives None.
        return _LENGTHS[lengths[docnum]] if docnum < len(lengths) else None

    def _read_lengths(self, fieldname: str) -> bytes | None:
        reader = self._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
        if reader is None:
            return None
        if type(reader) is NumericColumn.Reader and reader._typecode == "B":
            return bytes(reader._dbfile.get(reader._basepos, reader._count))
        return bytes(reader[n] for n in range(self._doccount))


# Field length bytes decoded: whoosh3 stores each document's field length as one byte.
_LENGTHS: tuple[int | None, ...] = (None, *(byte_to_length(b) for b in range(1, 256)))


class ArrayPostingsWriter(W3PostingsWriter):  # type: ignore[misc]
    """Buffers a block as whoosh3 does (its term statistics stay the same) and writes it as arrays."""

    _maxweight: Any
    _minlength: Any
    _maxlength: Any

    def add_posting(self, id_: int, weight: float, vbytes: bytes, length: int | None = None) -> None:
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        self._values.append(vbytes)  # every one, empty or not: part B is positional
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length

    def _write_block(self, last: bool = False) -> None:
        # Plain lists and the array module, not numpy: most terms have a block of a few
        # postings, where numpy's per-call cost would be most of the writer's.
        if not self._blockcount:
            self._postfile.write(MAGIC)
        self._terminfo.add_block(self)
        ids = self._ids
        part_a, id_code = _uints([b - a for a, b in zip((0, *ids[:-1]), ids, strict=True)])
        weights = self._weights
        flags = _LAST if last else 0
        if weights.count(weights[0]) == len(weights):
            flags |= _SAME_WEIGHT
            maxweight = weights[0]
        else:
            maxweight = max(weights)
            part_a += _little(weights).tobytes()
        part_b, codes = self._values_part()
        part_a, zipped_a = _pack(part_a, self._compression)
        part_b, zipped_b = _pack(part_b, self._compression)
        flags |= (_A_ZIPPED if zipped_a else 0) | (_B_ZIPPED if zipped_b else 0)
        header = _HEADER.pack(
            len(part_a),
            len(part_b),
            len(ids),
            ids[-1],
            maxweight,
            length_to_byte(self._minlength),
            length_to_byte(self._maxlength),
            flags,
            id_code | codes,
        )
        self._postfile.write(header + part_a + part_b)
        self._blockcount += 1
        self._new_block()

    def _values_part(self) -> tuple[bytes, int]:
        values = self._values
        fmt = self._format
        if _is_positions(fmt):
            lists = [loads(v[4:] if v.endswith(b".") else v[4:] + b".") for v in values]
            counts, count_code = _uints([len(d) for d in lists])
            flat, pos_code = _uints(list(chain.from_iterable(lists)))
            return counts + flat, count_code << 2 | pos_code << 4
        size = fmt.fixed_value_size()
        if size == 0:
            return b"", 0
        if size is not None and size > 0:
            return b"".join(values), 0
        return _little(array(_TYPECODES[2], [len(v) for v in values])).tobytes() + b"".join(values), 0


def _uints(values: list[int]) -> tuple[bytes, int]:
    """Non-negative integers as the smallest little-endian unsigned array that holds them, and its code."""
    top = max(values) if values else 0
    code = 0 if top < 1 << 8 else 1 if top < 1 << 16 else 2
    return _little(array(_TYPECODES[code], values)).tobytes(), code


def _little(values: array[Any]) -> array[Any]:
    if sys.byteorder == "big":
        values = array(values.typecode, values)
        values.byteswap()
    return values


class ArrayLeafMatcher(W3LeafMatcher):  # type: ignore[misc]
    """Whoosh's matcher over our blocks, plus whole-block arrays for numpy scoring.

    W3LeafMatcher's posting-at-a-time methods (id, weight, value, next, skip_to...) work
    unchanged on what _goto and the _read_* methods below give them.
    """

    _data: Any
    _ids: Any
    _weights: Any
    _values: Any

    def _read_header(self) -> None:
        magic = bytes(self._postfile.get(self._startoffset, 4))
        if magic != MAGIC:
            raise ValueError(f"Not a posting list of this codec: {magic!r}")
        self._baseoffset = self._startoffset + 4

    def _goto(self, position: int) -> None:
        self._data = self._ids = self._weights = self._values = None
        self._i = 0
        size_a, size_b, count, lastid, maxweight, low, high, flags, codes = _HEADER.unpack(
            self._postfile.get(position, _HEADER.size)
        )
        self._lastblock = bool(flags & _LAST)
        self._dataoffset = position + _HEADER.size
        self._boffset = self._dataoffset + size_a
        self._nextoffset = self._boffset + size_b
        self._flags, self._codes = flags, codes
        self._blocklength, self._maxid, self._maxweight = count, lastid, maxweight
        self._minlength, self._maxlength = byte_to_length(low), byte_to_length(high)

    def _part_b(self) -> bytes:
        raw = self._postfile.get(self._boffset, self._nextoffset - self._boffset)
        return zlib.decompress(raw) if self._flags & _B_ZIPPED else bytes(raw)

    # -- what W3LeafMatcher's methods read -----------------------------------------------------
    # One posting at a time (Whoosh's queries, and merges, which read every block of every
    # term): plain arrays and lists, as most blocks hold a few postings and numpy's per-call
    # cost would be most of a merge.

    def _read_data(self) -> None:
        raw = self._postfile.get(self._dataoffset, self._boffset - self._dataoffset)
        self._data = zlib.decompress(raw) if self._flags & _A_ZIPPED else bytes(raw)

    def _read_ids(self) -> None:
        if self._data is None:
            self._read_data()
        n = self._blocklength
        code = self._codes & 3
        self._ids = list(accumulate(_array_of(code, self._data[: n * _DTYPES[code].itemsize])))

    def _read_weights(self) -> None:
        if self._data is None:
            self._read_data()
        n = self._blocklength
        if self._flags & _SAME_WEIGHT:
            self._weights = [self._maxweight] * n
        else:
            start = n * _DTYPES[self._codes & 3].itemsize
            self._weights = _little(array("f", self._data[start : start + 4 * n])).tolist()

    def _read_values(self) -> None:
        fmt, n = self.format, self._blocklength
        size = self._fixedsize
        if size == 0:
            self._values = (None,) * n
            return
        raw = self._part_b()
        if _is_positions(fmt):
            count_code, pos_code = self._codes >> 2 & 3, self._codes >> 4 & 3
            split = n * _DTYPES[count_code].itemsize
            deltas = _array_of(pos_code, raw[split:]).tolist()
            out, at = [], 0
            for count in _array_of(count_code, raw[:split]).tolist():
                # Whoosh's Positions.encode: the count, then the pickled deltas.
                out.append(pack_uint(count) + dumps(deltas[at : at + count], 2))
                at += count
            self._values = tuple(out)
            return
        if size is not None and size > 0:
            self._values = tuple(raw[i : i + size] for i in range(0, n * size, size))
            return
        lengths = _array_of(2, raw[: 4 * n]).tolist()
        values, at = [], 4 * n
        for length in lengths:
            values.append(raw[at : at + length])
            at += length
        self._values = tuple(values)


def _array_of(code: int, raw: bytes) -> array[Any]:
    values = array(_TYPECODES[code], raw)
    if sys.byteorder == "big":
        values.byteswap()
    return values


def positions_from_deltas(counts: np.ndarray, deltas: np.ndarray) -> np.ndarray:
    """Absolute positions (int64) from per-posting `counts` and position `deltas` that start
    again from 0 at every posting: one running sum, less what it held before each posting."""
    total = np.cumsum(deltas, dtype=np.int64)
    before = np.concatenate(([0], total))[np.cumsum(counts) - counts]
    positions: np.ndarray = total - np.repeat(before, counts)
    return positions


def posting_arrays(m: Any) -> tuple[np.ndarray, np.ndarray]:
    """Every (document number, weight) of a fresh posting matcher, as int64 and float arrays."""
    if isinstance(m, ArrayLeafMatcher):
        return BlockTable(m).arrays()
    each_id, each_weight = [], []  # a list Whoosh keeps inline, or another codec
    while m.is_active():
        each_id.append(m.id())
        each_weight.append(m.weight())
        m.next()
    return np.array(each_id, dtype=np.int64), np.array(each_weight, dtype=np.float64)


class BlockTable:
    """The block headers of one posting list, read in one pass, and its blocks as whole arrays.

    Scoring a common word reads every block of its list and a phrase the positions of most of
    them; walking them with the matcher's next_block cost more per block than the reading.
    """

    def __init__(self, m: ArrayLeafMatcher) -> None:
        self._get = m._postfile.get
        self.format = m.format
        self._blocks: list[tuple[int, int, int, int, int, float, int, int]] = []
        counts: list[int] = []
        position = m._baseoffset
        while True:
            size_a, size_b, count, _lastid, maxweight, _low, _high, flags, codes = _HEADER.unpack(
                self._get(position, _HEADER.size)
            )
            at_a = position + _HEADER.size
            self._blocks.append((count, at_a, size_a, at_a + size_a, size_b, maxweight, flags, codes))
            counts.append(count)
            position = at_a + size_a + size_b
            if flags & _LAST:
                break
        self.counts = np.array(counts, dtype=np.int64)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers as int64, weights as float32) of every posting."""
        id_parts: list[np.ndarray] = []
        weight_parts: list[np.ndarray] = []
        for n, at, size, _at_b, _size_b, maxweight, flags, codes in self._blocks:
            raw = self._get(at, size)
            if flags & _A_ZIPPED:
                raw = zlib.decompress(raw)
            dtype = _DTYPES[codes & 3]
            id_parts.append(np.frombuffer(raw, dtype=dtype, count=n))
            if flags & _SAME_WEIGHT:
                weight_parts.append(np.full(n, maxweight, dtype=_F32))
            else:
                weight_parts.append(np.frombuffer(raw, dtype=_F32, count=n, offset=n * dtype.itemsize))
        # Each block's ids are deltas from 0: one running sum, restarted per block.
        return positions_from_deltas(self.counts, np.concatenate(id_parts)), np.concatenate(weight_parts)

    def position_deltas(self, blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(counts, deltas) of the chosen blocks' postings, joined in their order: each
        posting's number of positions, then its positions as deltas from 0 (see
        positions_from_deltas). Only for fields with Positions."""
        if not _is_positions(self.format):
            raise TypeError(f"{type(self.format).__name__} has no position arrays")
        count_parts: list[np.ndarray] = []
        delta_parts: list[np.ndarray] = []
        for b in blocks.tolist():
            n, _at_a, _size_a, at, size, _maxweight, flags, codes = self._blocks[b]
            raw = self._get(at, size)
            if flags & _B_ZIPPED:
                raw = zlib.decompress(raw)
            count_type, pos_type = _DTYPES[codes >> 2 & 3], _DTYPES[codes >> 4 & 3]
            count_parts.append(np.frombuffer(raw, dtype=count_type, count=n))
            delta_parts.append(np.frombuffer(raw, dtype=pos_type, offset=n * count_type.itemsize))
        if not count_parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(count_parts).astype(np.int64), np.concatenate(delta_parts)


def merge_postings(reader: Any) -> Iterator[tuple[str, bytes, int, float, Any]]:
    """Every live posting of a segment reader, as Whoosh's `iter_postings` gives them to a merge.

    Whoosh looks each term up again in the segment's hashed term table and reads one posting
    per method call; this reads the term table in order and whole blocks of this codec at a
    time (a merge reads every block of every term). Anything it does not know is read
    Whoosh's way.
    """
    terms = getattr(reader, "_terms", None)
    postfile, codec = getattr(terms, "_postfile", None), getattr(terms, "_codec", None)
    if postfile is None or not isinstance(codec, ArrayCodec):
        yield from reader.iter_postings()
        return
    deleted = reader.deleted_docs_set
    schema = reader.schema
    for (fieldname, btext), terminfo in terms.items():
        if fieldname not in schema:
            continue
        m = codec.postings_reader(postfile, terminfo, schema[fieldname].format, term=(fieldname, btext))
        if not isinstance(m, ArrayLeafMatcher):  # a short list kept inline in the term table
            while m.is_active():
                docnum = m.id()
                if docnum not in deleted:
                    yield fieldname, btext, docnum, m.weight(), m.value()
                m.next()
            continue
        while not m._atend:
            m._read_ids()
            m._read_weights()
            m._read_values()
            for docnum, weight, value in zip(m._ids, m._weights, m._values, strict=True):
                if docnum not in deleted:
                    yield fieldname, btext, docnum, weight, value
            m._next_block()
