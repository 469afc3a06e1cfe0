"""Reading part of a stored file (位元組範圍), in chunks, for audio and video seeking — and, on S3,
the whole of one, for the same reason.

The range is read through the storage's own file object: seek and read on disk. On S3 it is a
ranged GET of just those bytes, because django-storages' ``S3File`` downloads the whole object
into a spooled temporary file the first time it is read or seeked, and with its default
``AWS_S3_MAX_MEMORY_SIZE`` of 0 that file never spills to disk: every seek of a video would
hold the whole video in memory.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import Any

from django.core.files import File

CHUNK_SIZE = 64 * 1024


def _s3_object(handle: File) -> Any | None:
    """The boto3 object behind an ``S3File``, or None for any other file."""
    # Looked up, not imported: importing it loads boto3, and if nothing imported it yet no S3
    # storage is configured.
    s3 = sys.modules.get("storages.backends.s3")
    if s3 is not None and isinstance(handle, s3.S3File):
        return handle.obj
    return None


def is_remote(handle: File) -> bool:
    """Whether ``handle`` is an object-storage file (read by GETs, not seeks)."""
    return _s3_object(handle) is not None


class RangeStream:
    """Bytes ``start`` to ``end`` (inclusive) of an open stored file, read in chunks.

    Iterate it once; ``close()`` closes the file (a streaming response calls it when it is done,
    even if the client left before the first byte).
    """

    def __init__(self, handle: File, start: int, end: int, chunk_size: int = CHUNK_SIZE):
        if not 0 <= start <= end:
            raise ValueError(f"bad byte range {start}-{end}")
        self.handle, self.start, self.end, self.chunk_size = handle, start, end, chunk_size
        self._closers: list[Callable[[], Any]] = [handle.close]

    def __iter__(self) -> Iterator[bytes]:
        remote = _s3_object(self.handle)
        if remote is not None:
            body = remote.get(Range=f"bytes={self.start}-{self.end}")["Body"]
            self._closers.append(body.close)
            yield from body.iter_chunks(self.chunk_size)
            return
        self.handle.seek(self.start)
        remaining = self.end - self.start + 1
        while remaining > 0:
            chunk = self.handle.read(min(self.chunk_size, remaining))
            if not chunk:
                # Shorter than its size said (changed underneath): stop, never pad.
                return
            remaining -= len(chunk)
            yield chunk

    def close(self) -> None:
        for close in reversed(self._closers):
            close()
        self._closers.clear()
