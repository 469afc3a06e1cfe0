"""Review packages (審查資料 PDF): one PDF per applicant, and a department's zip, streamed.

A package is built from the frozen snapshot (R39), never from live rows: the department reads
exactly what the student released. Layout: a cover (applicant, department, channel), a table of
contents, D1 and D2, then every item's metadata and description followed by its own pages;
images are placed on the page, audio/video listed with a link.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos
from fpdf.fonts import TTFFont
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from licheng.lib import cjk_font

from .. import files
from ..enums import ItemKind
from ..models import Application

FONT = "licheng-tc"
IMAGE_TYPES = ("image/png", "image/jpeg")
MEDIA_TYPES = ("audio/mpeg", "video/mp4")
LinkFor = Callable[[int], str]


def applicant_label(application: Application) -> str:
    """The applicant as reviewers see them: the name, or a number when names are hidden."""
    if application.department.hide_names:
        return f"考生 {application.pk:06d}"
    return application.snapshot["applicant"]["name"] if application.snapshot else ""


def package_filename(application: Application) -> str:
    return f"{application.department.code}-{application.pk:06d}.pdf"


def _font_path(text: str) -> tuple[Path, int]:
    return cjk_font.font_for(text, Path(settings.VAR_DIR) / "cache" / "fonts")


def _all_text(manifest: dict[str, Any], label: str) -> str:
    parts = [label, manifest["department"]["university"], manifest["department"]["name"]]
    parts += [manifest["channel"]["label"], manifest["d1"]["text"], *manifest["d2"].values()]
    for item in manifest["items"]:
        parts += [item["kind_label"], item["title"], item["description"], item["detail"]]
        parts.append((item["file"] or {}).get("name", ""))
    return "".join(parts) + "審查資料目錄封面考生校系管道送出時間來源認證未經中央資料庫已自行上傳"


@dataclass
class _Placeholder:
    reader: PdfReader
    page: int


class _Builder:
    def __init__(self, manifest: dict[str, Any], label: str, link_for: LinkFor | None = None):
        self.manifest = manifest
        self.label = label
        self.link_for = link_for
        font, face = _font_path(_all_text(manifest, label))
        pdf = FPDF(format="A4")
        pdf.set_auto_page_break(True, margin=18)
        pdf.set_margins(18, 18, 18)
        pdf.add_font(FONT, "", str(font), collection_font_number=face)
        # The glyph outlines are unchanged by subsetting, so the font's bounding box still holds;
        # recomputing it from every outline was a third of the time of a package.
        loaded = pdf.fonts[FONT.lower()]
        if isinstance(loaded, TTFFont):
            loaded.ttfont.recalcBBoxes = False
        pdf.set_font(FONT, size=11)
        pdf.set_title(f"{label} {manifest['department']['name']}")
        pdf.set_creator("Licheng 學習歷程平臺")
        self.pdf = pdf
        self.placeholders: dict[int, _Placeholder] = {}
        self.sections: list[tuple[str, int]] = []
        self.fresh_page = False

    def heading(self, text: str, size: int = 15) -> None:
        self.pdf.set_font(FONT, size=size)
        self.pdf.multi_cell(
            0, size * 0.6, text, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.pdf.ln(2)
        self.pdf.set_font(FONT, size=11)

    def para(self, text: str) -> None:
        self.pdf.multi_cell(
            0,
            6.5,
            text or "（未填寫）",
            wrapmode=WrapMode.CHAR,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.pdf.ln(2)

    def section(self, name: str) -> None:
        # The contents placeholder leaves a fresh page behind it; use that one.
        if not self.fresh_page:
            self.pdf.add_page()
        self.fresh_page = False
        self.sections.append((name, self.pdf.page))
        self.pdf.start_section(name)
        self.heading(name)

    def cover(self) -> None:
        m = self.manifest
        pdf = self.pdf
        pdf.add_page()
        pdf.ln(30)
        self.heading(f"{m['year']}學年度 {m['channel']['label']}", 14)
        self.heading("學習歷程審查資料", 24)
        pdf.ln(10)
        rows = [
            ("考生", self.label),
            (
                "申請校系",
                f"{m['department']['code']} {m['department']['university']} {m['department']['name']}",
            ),
            ("招生管道", m["channel"]["label"]),
            ("送出時間", m.get("submitted_at", "")[:19].replace("T", " ")),
            ("項目數", str(len(m["items"]))),
        ]
        for key, value in rows:
            pdf.cell(35, 9, key)
            pdf.multi_cell(0, 9, value, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def contents(self, pdf: FPDF, outline: list[Any]) -> None:
        self.heading("目錄")
        for entry in outline:
            pdf.set_x(pdf.l_margin)
            pdf.cell(150, 8, entry.name[:60])
            pdf.cell(0, 8, str(entry.page_number), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def image(self, info: dict[str, Any]) -> None:
        with files.open_stored(info["path"]) as fh:
            data = io.BytesIO(fh.read())
        try:
            self.pdf.image(data, w=min(self.pdf.epw, 150), keep_aspect_ratio=True)
        except Exception:  # a broken image must not lose the rest of the package
            self.para(f"（圖片無法顯示：{info['name']}）")

    def item(self, number: int, index: int, item: dict[str, Any]) -> None:
        self.section(f"{number}. {item['kind_label']}：{item['title']}")
        origin = "學習歷程中央資料庫（已認證）" if item["certified"] else "考生自行上傳（未經認證）"
        rows = [("來源", origin), ("類別", item["kind_label"])]
        if item["detail"]:
            rows.append(("補充資訊", item["detail"]))
        info = item["file"]
        if info:
            rows += [("檔名", info["name"]), ("SHA-256", info["sha256"])]
        if item["link"]:
            rows.append(("連結", item["link"]))
        for key, value in rows:
            self.pdf.cell(30, 7, key)
            self.pdf.multi_cell(
                0, 7, value, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
        self.pdf.ln(2)
        if item["description"]:
            self.para(f"簡述：{item['description']}")
        if not info:
            return
        if info["content_type"] in IMAGE_TYPES:
            self.image(info)
        elif info["content_type"] == "application/pdf":
            self.pdf_pages(info)
        elif info["content_type"] in MEDIA_TYPES:
            # Audio and video cannot go on paper: list them with a link to play them.
            self.para(f"影音檔案，請於審查系統播放：{info['name']}")
            url = self.link_for(index) if self.link_for else ""
            if url:
                self.pdf.set_text_color(0, 70, 160)
                self.pdf.multi_cell(
                    0, 7, url, link=url, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT
                )
                self.pdf.set_text_color(0, 0, 0)

    def pdf_pages(self, info: dict[str, Any]) -> None:
        """Reserve a blank page per page of the item's PDF; ``merge`` puts the real ones there."""
        try:
            with files.open_stored(info["path"]) as fh:
                reader = PdfReader(io.BytesIO(fh.read()))
            count = len(reader.pages)
        except (PdfReadError, OSError, ValueError):
            self.para("（此 PDF 檔案無法讀取）")
            return
        self.para(f"以下 {count} 頁為此項目的檔案內容。")
        for index in range(count):
            self.pdf.add_page()
            self.placeholders[self.pdf.page] = _Placeholder(reader, index)

    def build(self) -> bytes:
        m = self.manifest
        self.cover()
        self.pdf.add_page()  # the contents are drawn here when the document is closed
        self.pdf.insert_toc_placeholder(
            self.contents, pages=1, allow_extra_pages=True, reset_page_indices=False
        )
        self.fresh_page = True
        self.section("多元表現綜整心得（D1）")
        self.para(m["d1"]["text"])
        for item in m["items"]:
            if item["kind"] == ItemKind.D1_IMAGE and item["file"]:
                self.image(item["file"])
        self.section("學習歷程自述（D2）")
        for key, title in (
            ("reflection", "學習歷程反思"),
            ("motivation", "就讀動機"),
            ("plan", "未來學習計畫與生涯規劃"),
        ):
            self.heading(title, 13)
            self.para(m["d2"][key])
        others = [
            (i, item) for i, item in enumerate(m["items"]) if item["kind"] != ItemKind.D1_IMAGE
        ]
        for number, (index, item) in enumerate(others, start=1):
            self.item(number, index, item)
        return self.merge(bytes(self.pdf.output()))

    def merge(self, text_pdf: bytes) -> bytes:
        """The generated pages with each placeholder replaced by the item's real page."""
        main = PdfReader(io.BytesIO(text_pdf))
        writer = PdfWriter()
        for number, page in enumerate(main.pages, start=1):
            placeholder = self.placeholders.get(number)
            writer.add_page(placeholder.reader.pages[placeholder.page] if placeholder else page)
        for name, page_number in self.sections:
            writer.add_outline_item(title=name, page_number=page_number - 1)
        writer.add_metadata({"/Title": f"{self.label} {self.manifest['department']['name']}"})
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()


def build_package(manifest: dict[str, Any], label: str, link_for: LinkFor | None = None) -> bytes:
    return _Builder(manifest, label, link_for).build()


def package_pdf(application: Application, link_for: LinkFor | None = None) -> bytes:
    """The released application's package as one PDF; ``link_for(i)`` is item i's file URL."""
    if not application.snapshot:
        raise ValueError("application not released")
    return build_package(application.snapshot, applicant_label(application), link_for)


class _Sink:
    """A write-only stream zipfile writes into; ``drain`` hands over what it wrote so far."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._position = 0

    def write(self, data: bytes) -> int:
        self._chunks.append(bytes(data))
        self._position += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position

    def flush(self) -> None:
        pass

    def drain(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def stream_zip(
    applications: Iterable[Application],
    link_for: Callable[[Application], LinkFor] | None = None,
) -> Iterator[bytes]:
    """A zip of the packages, produced one PDF at a time: memory holds one package, not all."""
    sink = _Sink()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_STORED) as archive:  # type: ignore[call-overload]
        for application in applications:
            links = link_for(application) if link_for else None
            archive.writestr(package_filename(application), package_pdf(application, links))
            yield sink.drain()
    yield sink.drain()
