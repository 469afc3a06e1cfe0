"""The printable binding application (親子綁定申請書, seed 004 step 7) as a PDF.

Rendered with fpdf2 and Debian's Noto Sans CJK (fonts-noto-cjk): the .ttc collection holds
several faces; index 3 is the Traditional Chinese one (TC).
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from licheng.accounts.models import ParentBinding
from licheng.lib.i18n import source_language

CJK_FONT = Path(
    getattr(settings, "LICHENG_CJK_FONT", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
)
TC_FACE_INDEX = 3  # face order in the collection (fc-query): JP, KR, SC, TC, HK


# fontTools logs every subsetting step at INFO: dozens of lines per PDF in the JSON log.
logging.getLogger("fontTools").setLevel(logging.WARNING)


class FontMissing(RuntimeError):
    pass


def _mask_id(value: str) -> str:
    return value[:2] + "****" + value[-2:] if len(value) == 10 else value


def render(binding: ParentBinding) -> bytes:
    from fpdf import FPDF

    if not CJK_FONT.exists():
        raise FontMissing(f"找不到中文字型 {CJK_FONT}（請安裝 fonts-noto-cjk）")
    pdf = FPDF(format="A4")
    pdf.set_title("親子綁定申請書")
    pdf.set_creator("學習歷程平臺 Licheng")
    pdf.add_font("NotoTC", fname=str(CJK_FONT), collection_font_number=TC_FACE_INDEX)
    pdf.add_page()
    pdf.set_font("NotoTC", size=18)
    pdf.cell(0, 12, "學習歷程平臺　親子綁定申請書", new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.set_font("NotoTC", size=11)
    pdf.cell(
        0,
        8,
        f"申請編號：{binding.pk}　申請時間：{timezone.localtime(binding.submitted_at):%Y-%m-%d %H:%M}",
        new_x="LMARGIN",
        new_y="NEXT",
        align="C",
    )
    pdf.ln(4)
    student = binding.student
    rows = [
        ("學生姓名", student.name),
        ("就讀學校", f"{student.school.code} {student.school.name}"),
        ("學層", binding.get_school_level_display()),
        ("學生身分證統一編號", _mask_id(student.national_id)),
        ("身分別", binding.relation_kind.label),
        ("與學生關係", binding.get_relation_display()),
        ("家長姓名", binding.parent_name),
        ("家長身分證統一編號", _mask_id(binding.parent_national_id)),
        ("電子郵件（登入帳號）", binding.email),
        ("行動電話/市話", binding.phone),
        ("同意個資使用聲明", f"{timezone.localtime(binding.statement_accepted_at):%Y-%m-%d %H:%M}"),
        ("電子簽名", binding.signature),
        ("申請狀態", binding.get_status_display()),
    ]
    # The form is a zh-Hant document whichever language the parent reads the site in.
    with source_language():
        rows = [(label, str(value)) for label, value in rows]
    with pdf.table(col_widths=(45, 125), line_height=9, first_row_as_headings=False) as table:
        for label, value in rows:
            row = table.row()
            row.cell(label)
            row.cell(str(value))
    pdf.ln(8)
    pdf.multi_cell(
        0,
        7,
        "送出資料不等於完成綁定流程，須待學生導師於系統審核完成，才算綁定成功。"
        "綁定成功後，帳號為上列電子郵件，密碼預設為家長身分證統一編號後六碼，"
        "第一次登入時系統將要求變更密碼。",
    )
    pdf.ln(10)
    pdf.cell(0, 8, "家長簽章：＿＿＿＿＿＿＿＿＿＿　　導師簽章：＿＿＿＿＿＿＿＿＿＿")
    return bytes(pdf.output())
