"""R10, R16, R7: kind by content, extension agreement, size limits, real parsing; clear refusals."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from licheng.devtools import samples
from licheng.evidence import rules
from licheng.evidence.domain.validation import EvidenceRejected, inspect_upload
from licheng.evidence.enums import FileKind
from licheng.evidence.rules import MB, megabytes


def check(name: str, data: bytes, kind_rules=rules.DOCUMENT):
    return inspect_upload(io.BytesIO(data), name, len(data), kind_rules)


def refusal(name: str, data: bytes, kind_rules=rules.DOCUMENT) -> str:
    with pytest.raises(EvidenceRejected) as caught:
        check(name, data, kind_rules)
    return caught.value.message


@pytest.mark.parametrize(
    ("name", "data", "kind", "kind_rules"),
    [
        ("作業.pdf", samples.pdf_bytes("report", pages=2), FileKind.PDF, rules.DOCUMENT),
        ("海報.PNG", samples.png_bytes(), FileKind.PNG, rules.DOCUMENT),
        ("照片.jpeg", samples.jpg_bytes(), FileKind.JPG, rules.DOCUMENT),
        ("錄音.mp3", samples.mp3_bytes(), FileKind.MP3, rules.MEDIA),
        ("影片.mp4", samples.mp4_bytes(), FileKind.MP4, rules.MEDIA),
    ],
)
def test_real_files_of_each_kind_are_accepted(name, data, kind, kind_rules):
    """R10: pdf/jpg/png documents and mp3/mp4 media."""
    found = check(name, data, kind_rules)
    assert (found.kind, found.size) == (kind, len(data))


def test_pdf_page_count_is_recorded():
    assert check("a.pdf", samples.pdf_bytes(pages=7)).page_count == 7


def test_document_over_4_mb_names_the_limit_and_the_size():
    """R10: documents ≤ 4 MB; the message says both numbers (檔案超過 4 MB 上限（目前 4.3 MB）)."""
    data = samples.pdf_bytes(pad_to=int(4.25 * MB))
    assert refusal("a.pdf", data) == f"檔案超過 4 MB 上限（目前 {megabytes(len(data))}）"
    assert megabytes(len(data)) == "4.3 MB"


def test_media_limit_is_10_mb():
    """R10, R16: media ≤ 10 MB."""
    big = samples.mp3_bytes() * (10 * MB // len(samples.mp3_bytes()) + 1)
    assert refusal("a.mp3", big, rules.MEDIA).startswith("檔案超過 10 MB 上限")


def test_counselling_files_limit_is_2_mb():
    """R7: counselling files ≤ 2 MB."""
    data = samples.pdf_bytes(pad_to=int(2.5 * MB))
    assert refusal("a.pdf", data, rules.COUNSELLING).startswith("檔案超過 2 MB 上限")
    assert check("a.pdf", data).kind == FileKind.PDF  # the same file is fine as a document


def test_megabytes_rounds_up_so_over_the_limit_never_reads_as_the_limit():
    assert megabytes(4 * MB + 1) == "4.1 MB"
    assert megabytes(4 * MB) == "4 MB"


def test_wrong_extension_is_refused_with_allowed_list():
    assert (
        refusal("a.docx", b"PK\x03\x04" + bytes(100))
        == "不接受的檔案類型（.docx）；可上傳：PDF、JPG、PNG"
    )
    assert refusal("noextension", b"%PDF-1.4").startswith("不接受的檔案類型（無副檔名）")


def test_media_is_not_accepted_in_a_document_slot():
    assert refusal("a.mp4", samples.mp4_bytes()).startswith("不接受的檔案類型（.mp4）")


def test_extension_must_agree_with_content():
    """R10: a PNG renamed .pdf is refused, naming what it really is."""
    assert refusal("a.pdf", samples.png_bytes()) == "檔案內容是「PNG 圖片」，與副檔名 .pdf 不符"


def test_renamed_executable_is_refused():
    message = refusal("essay.pdf", b"MZ\x90\x00" + bytes(200))
    assert message == "檔案內容是「程式執行檔」，與副檔名 .pdf 不符"
    assert "程式執行檔" in refusal("photo.jpg", b"\x7fELF" + bytes(200))


def test_empty_file_is_refused():
    assert refusal("a.pdf", b"") == "檔案是空的（0 位元組）"


def test_truncated_pdf_is_refused():
    data = samples.pdf_bytes(pages=2)
    assert "PDF" in refusal("a.pdf", data[: len(data) // 2])


def test_garbage_after_pdf_header_is_refused():
    assert (
        refusal("a.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 10 + b"%%EOF\n")
        == "PDF 檔案損毀，無法開啟"
    )


def test_encrypted_pdf_is_refused():
    """R10: PDFs must not be encrypted."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(samples.pdf_bytes())))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    assert refusal("a.pdf", out.getvalue()) == "PDF 已加密或設有密碼，請移除密碼後再上傳"


def test_pdf_with_javascript_is_refused():
    data = samples.pdf_bytes().replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
    )
    assert "程式碼" in refusal("a.pdf", data)


def test_image_zip_polyglot_is_refused():
    """A PNG with a ZIP appended opens as both: refused."""
    zipped = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("payload.txt", "hello")
    assert "多重格式" in refusal("a.png", samples.png_bytes() + zipped.getvalue())


def test_image_pdf_polyglot_is_refused():
    data = samples.jpg_bytes()
    polyglot = data[:2] + b"\xff\xfe\x00\x10%PDF-1.4 hidden" + data[2:]
    assert "多重格式" in refusal("a.jpg", polyglot)


def test_truncated_image_is_refused():
    data = samples.jpg_bytes(640, 480)
    assert refusal("a.jpg", data[: len(data) // 2]) == "圖片檔案損毀，無法開啟"


def test_decompression_bomb_is_refused_before_decoding():
    """A tiny PNG claiming 100,000 × 100,000 pixels is refused by its header, not decoded."""
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1000)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + samples.crc_png_chunk(b"IHDR", header)
        + samples.crc_png_chunk(b"IDAT", idat)
        + samples.crc_png_chunk(b"IEND", b"")
    )
    assert "圖片尺寸過大" in refusal("bomb.png", data)


def test_fake_mp3_is_refused():
    assert (
        refusal("a.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x00" + bytes(500), rules.MEDIA)
        == "不是有效的 MP3 音訊檔"
    )


def test_mp4_with_appended_data_is_refused():
    assert "MP4" in refusal("a.mp4", samples.mp4_bytes() + b"PK\x03\x04junk", rules.MEDIA)


def test_mp4_without_moov_is_refused():
    data = (
        struct.pack(">I4s4sI", 16, b"ftyp", b"isom", 0)
        + struct.pack(">I4s", 16, b"mdat")
        + bytes(8)
    )
    assert refusal("a.mp4", data, rules.MEDIA) == "MP4 影片檔缺少索引（moov），無法播放"


def test_r10_checking_without_the_digest_refuses_the_same_files():
    """R10: a file only looked at (the chosen-file hints) is checked as an upload is, without its
    SHA-256; what an upload refuses is refused here too."""
    import io

    from licheng.evidence.domain.validation import EvidenceRejected, inspect_upload
    from licheng.evidence.rules import DOCUMENT

    good = samples.pdf_bytes(pages=3)
    seen = inspect_upload(io.BytesIO(good), "a.pdf", len(good), DOCUMENT, digest=False)
    assert seen.sha256 == "" and seen.page_count == 3
    with pytest.raises(EvidenceRejected):
        inspect_upload(io.BytesIO(b"MZ" + b"\0" * 99), "a.pdf", 101, DOCUMENT, digest=False)


def _with_stream(dictionary: bytes, body: bytes, then: bytes = b"") -> bytes:
    """The sample PDF with one more (unreferenced) stream object, and ``then``, before its
    cross-reference table."""
    data = samples.pdf_bytes()
    extra = b"99 0 obj\n<< %s /Length %d >>\nstream\n%s\nendstream\nendobj\n%s" % (
        dictionary,
        len(body),
        body,
        then,
    )
    xref = data.rindex(b"\nxref\n") + 1
    start = data.rindex(b"startxref\n") + len(b"startxref\n")
    end = data.index(b"\n", start)
    assert int(data[start:end]) == xref
    return data[:xref] + extra + data[xref:start] + b"%d" % (xref + len(extra)) + data[end:]


def test_r10_script_like_bytes_inside_a_compressed_stream_are_not_a_script():
    """R10: compressed page data spells "/JS(" by chance about once in 550 scanned PDFs; the
    file has no script and must not be refused for one."""
    body = b"\x78\x9c\x8b\x01/JS(\x00\xff/Launch\x10" + bytes(range(256)) * 4
    data = _with_stream(b"/Filter /FlateDecode", body)
    assert check("掃描.pdf", data, rules.DOCUMENT).kind == "pdf"


def test_r10_a_script_key_in_an_unencoded_stream_or_beside_one_is_refused():
    """R10: an object stream written plainly holds real dictionaries; and a key after a
    compressed stream ended is outside it."""
    plain = _with_stream(b"/Type /ObjStm /N 1 /First 4", b"5 0 << /S /JavaScript /JS (x) >>")
    assert "程式碼" in refusal("a.pdf", plain)
    after = _with_stream(
        b"/Filter /FlateDecode", b"\x00\x01", then=b"100 0 obj\n<< /S /Launch >>\nendobj\n"
    )
    assert "程式碼" in refusal("a.pdf", after)


def test_r10_a_scanned_pdf_is_accepted_and_its_image_bytes_are_not_scanned():
    """R10: what a scanner writes (an encoded image stream, every byte value) passes; the scan
    steps over such a stream's body instead of reading it."""
    from licheng.evidence.domain.validation import _encoded_bodies

    data = samples.pdf_bytes("掃描", pad_to=300_000, scanned=True)
    assert check("掃描.pdf", data, rules.DOCUMENT).kind == "pdf"
    ((body, end),) = list(_encoded_bodies(data))
    assert end - body == 300_000 and data[end:].lstrip().startswith(b"endstream")


def test_r10_an_encoded_stream_of_indirect_length_is_still_not_a_script():
    body = b"\x00/JS(\x01" * 50
    data = _with_stream(b"/Filter /FlateDecode /Length 100 0 R", body)
    data = data.replace(b"/Length 100 0 R /Length %d" % len(body), b"/Length 100 0 R")
    assert b"/Length 100 0 R >>" in data
    assert check("a.pdf", data, rules.DOCUMENT).kind == "pdf"


_MARKERS = [b"/JavaScript", b"/JS(", b"/JS ", b"/Launch", b"/EmbeddedFile", b"stream", b"endobj"]


@settings(max_examples=150, deadline=None)
@given(
    parts=st.lists(
        st.tuples(
            st.sampled_from([b"", b"/Filter /FlateDecode", b"/Type /ObjStm"]),
            st.lists(st.one_of(st.sampled_from(_MARKERS), st.binary(max_size=40)), max_size=8),
            st.sampled_from(["right", "short", "indirect"]),
        ),
        max_size=4,
    ),
    between=st.sampled_from([b"", b"7 0 obj\n<< /S /JavaScript >>\nendobj\n"]),
)
def test_r10_stepping_over_encoded_streams_refuses_exactly_what_reading_them_all_refuses(
    parts, between
):
    """R10: the scan that steps over encoded stream bodies refuses a file exactly when reading
    every byte finds a script key that is neither inside an encoded stream nor in a body it
    stepped over (bytes there are data, whatever they spell)."""
    from licheng.evidence.domain import validation

    chunks = [b"%PDF-1.4\n"]
    for number, (dictionary, pieces, length) in enumerate(parts, start=10):
        body = b"".join(pieces)
        declared = {
            "right": b"%d" % len(body),
            "short": b"%d" % max(0, len(body) - 3),
            "indirect": b"99 0 R",
        }[length]
        chunks.append(b"%d 0 obj\n<< %s /Length %s >>\nstream\n" % (number, dictionary, declared))
        chunks.append(body + b"\nendstream\nendobj\n" + between)
    data = b"".join(chunks) + b"%%EOF\n"
    stepped_over = list(validation._encoded_bodies(data))
    for body, end in stepped_over:
        assert data[end:].lstrip().startswith(b"endstream")
        assert b"/Filter" in data[data.rfind(b"obj", 0, body) : body]
    keys = [
        m.start()
        for m in validation.PDF_ACTIVE_CONTENT.finditer(data)
        if not validation._inside_encoded_stream(data, m.start())
        and not any(body <= m.start() < end for body, end in stepped_over)
    ]
    try:
        validation._refuse_active_pdf(data)
        refused = False
    except EvidenceRejected:
        refused = True
    assert refused == bool(keys)
