"""Real, small evidence files made in code (PDF, PNG, JPG, MP3, MP4) for tests, demo and benches.

Each is a genuine file of its kind: it passes the platform's validation and opens in a browser.
"""

from __future__ import annotations

import io
import math
import random
import zlib
from functools import cache


def pdf_bytes(
    title: str = "Learning outcome", pages: int = 1, pad_to: int = 0, *, scanned: bool = False
) -> bytes:
    """A PDF with ``pages`` pages of text; ``pad_to`` grows it to about that many bytes with an
    unreferenced (but well-formed) stream, the way a scanned page makes a PDF large. The
    padding is hex digits in a plain stream, or with ``scanned`` what a scanner writes: an
    image's encoded bytes (random-looking, every byte value) in a ``/DCTDecode`` stream."""
    objects: list[bytes] = []
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    font_ref = 3 + 2 * pages
    for i in range(pages):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {4 + 2 * i} 0 R "
            f"/Resources << /Font << /F1 {font_ref} 0 R >> >> >>".encode()
        )
        text = f"BT /F1 24 Tf 72 760 Td ({_pdf_escape(title)} - page {i + 1}) Tj ET".encode()
        objects.append(b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    if pad_to and scanned:
        # Seeded by the title: the same sample every run. Such bytes may spell "/JS(" by chance,
        # which the validator must not take for a script (it is inside an encoded stream).
        filler = random.Random(title).randbytes(pad_to)
        objects.append(
            b"<< /Type /XObject /Subtype /Image /Width 2480 /Height 3508 /ColorSpace /DeviceRGB "
            b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n"
            % len(filler)
            + filler
            + b"\nendstream"
        )
    elif pad_to:
        # Hex digits only: padding can never spell a marker the validator refuses.
        filler = (b"0123456789abcdef" * (pad_to // 16 + 1))[:pad_to]
        objects.append(b"<< /Length %d >>\nstream\n" % len(filler) + filler + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _pdf_escape(text: str) -> str:
    ascii_text = text.encode("ascii", "replace").decode()
    return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def png_bytes(
    width: int = 64, height: int = 48, colour: tuple[int, int, int] = (40, 90, 160)
) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), colour)
    ImageDraw.Draw(image).rectangle(
        [width // 4, height // 4, 3 * width // 4, 3 * height // 4], fill=(250, 250, 250)
    )
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def jpg_bytes(
    width: int = 64, height: int = 48, colour: tuple[int, int, int] = (200, 80, 40)
) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG", quality=85)
    return out.getvalue()


@cache
def mp3_bytes(seconds: float = 1.0) -> bytes:
    """A tone encoded with LAME through PyAV; falls back to silent hand-made MPEG frames."""
    try:
        return _encode_audio("mp3", "libmp3lame", seconds)
    except Exception:  # PyAV missing or without LAME: silent frames are still a valid MP3
        frame = b"\xff\xfb\x90\x64" + bytes(413)  # MPEG-1 layer III, 128 kbit/s, 44.1 kHz
        return frame * max(3, int(seconds * 38))


@cache
def mp4_bytes(seconds: float = 1.0) -> bytes:
    """A short H.264 + AAC clip (coloured frames and a tone), muxed as MP4 by PyAV."""
    import av

    out = io.BytesIO()
    with av.open(out, "w", format="mp4") as container:
        video = container.add_stream("libx264", rate=10)
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        audio = container.add_stream("aac", rate=44100)
        for i in range(int(seconds * 10)):
            frame = av.VideoFrame(64, 48, "rgb24")
            frame.planes[0].update(bytes((i * 20 % 256, 120, 200)) * (64 * 48))
            for packet in video.encode(frame):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
        _mux_tone(container, audio, seconds)
    return out.getvalue()


def _encode_audio(fmt: str, codec: str, seconds: float) -> bytes:
    import av

    out = io.BytesIO()
    with av.open(out, "w", format=fmt) as container:
        stream = container.add_stream(codec, rate=44100)
        _mux_tone(container, stream, seconds)
    return out.getvalue()


def _mux_tone(container, stream, seconds: float) -> None:
    import array

    import av

    rate = 44100
    total = int(rate * seconds)
    size = stream.codec_context.frame_size or 1152
    for start in range(0, total, size):
        tone = array.array(
            "f", (0.2 * math.sin(2 * math.pi * 440 * n / rate) for n in range(start, start + size))
        )
        frame = av.AudioFrame(format="fltp", layout="mono", samples=size)
        frame.planes[0].update(tone.tobytes())
        frame.sample_rate = rate
        frame.pts = start
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)


def crc_png_chunk(kind: bytes, data: bytes) -> bytes:
    """A PNG chunk with its CRC, for tests that build hostile images by hand."""
    import struct

    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
