"""Readable names for audit entries (稽核紀錄): what each action code means and what each changed
field is, so a school's registry office reads 「退回課程學習成果」 instead of
``portfolio.outcome.return`` and ``狀態：已送出 → 退回修改`` instead of a Python dict.

The codes stay what the log stores and filters on; a code without a name here is shown as is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from licheng.accounts.enums import BindingStatus, Relation
from licheng.curriculum.enums import ImportState, PlanState
from licheng.portfolio.enums import (
    OutcomeState,
    PerformanceCategory,
    PerformanceState,
    ReturnReason,
)
from licheng.schools.enums import CorrectionState

ACTIONS = {
    "accounts.binding.approve": _("核准親子綁定"),
    "accounts.binding.cancel": _("取消親子綁定申請"),
    "accounts.binding.code_sent": _("寄出親子綁定驗證碼"),
    "accounts.binding.code_verified": _("親子綁定驗證碼通過"),
    "accounts.binding.refuse": _("不核准親子綁定"),
    "accounts.binding.submit": _("申請親子綁定"),
    "accounts.create": _("建立帳號"),
    "accounts.email.verification_sent": _("寄出電子郵件驗證信"),
    "accounts.email.verify": _("驗證電子郵件"),
    "accounts.login": _("登入"),
    "accounts.login_failed": _("登入失敗"),
    "accounts.logout": _("登出"),
    "accounts.password.change": _("變更密碼"),
    "accounts.role.grant": _("授予角色"),
    "admissions.application_started": _("開始報名"),
    "admissions.channel_changed": _("變更招生管道設定"),
    "admissions.department_changed": _("修改校系設定"),
    "admissions.department_created": _("建立校系"),
    "admissions.discrepancy_resolved": _("處理審查資料差異"),
    "admissions.documents_saved": _("儲存報名備審資料"),
    "admissions.file_uploaded": _("上傳報名檔案"),
    "admissions.item_removed": _("移除報名項目"),
    "admissions.items_picked": _("勾選報名項目"),
    "admissions.package_opened": _("開啟審查資料"),
    "admissions.registered": _("完成報名"),
    "admissions.released": _("釋出審查資料"),
    "admissions.reviewer_removed": _("移除審查委員"),
    "admissions.reviewer_seated": _("指派審查委員"),
    "admissions.rubric_set": _("設定評分項目"),
    "admissions.scored": _("評分"),
    "admissions.weights_set": _("設定成績比例"),
    "admissions.year_created": _("建立招生年度"),
    "api.organizer.import": _("主辦機構匯入成績"),
    "central.archive.seal": _("封存學生資料"),
    "central.credential.issue": _("核發 API 憑證"),
    "central.credential.revoke": _("撤銷 API 憑證"),
    "central.package.receive": _("中央資料庫收件"),
    "central.receipt.confirm": _("確認收訖"),
    "central.receipt.report": _("回報收訖問題"),
    "central.receipt.resolve": _("處理收訖問題"),
    "central.record.export": _("匯出中央資料"),
    "central.student.applied": _("學生資料提供招生使用"),
    "central.student.read": _("查閱中央資料"),
    "curriculum.counselling.assign": _("指派課程諮詢教師"),
    "curriculum.counselling.create": _("新增課程諮詢紀錄"),
    "curriculum.counselling.unassign": _("取消課程諮詢教師指派"),
    "curriculum.course.import": _("匯入課程"),
    "curriculum.course.update": _("修改課程"),
    "curriculum.enrolment.create": _("新增修課紀錄"),
    "curriculum.export": _("匯出資料檔"),
    "curriculum.grade.update": _("登錄成績"),
    "curriculum.import.cadres": _("匯入幹部經歷"),
    "curriculum.import.confirm": _("確認匯入"),
    "curriculum.import.courses": _("匯入課程計畫與課程"),
    "curriculum.import.records": _("匯入修課紀錄與成績"),
    "curriculum.import.students": _("匯入學生基本資料"),
    "curriculum.import.upload": _("上傳匯入檔"),
    "curriculum.plan.create": _("新增課程計畫"),
    "curriculum.plan.publish": _("公告課程計畫"),
    "curriculum.plan.return": _("退回課程計畫"),
    "curriculum.plan.submit": _("送審課程計畫"),
    "curriculum.plan.syllabus_pdf": _("上傳課程計畫書"),
    "curriculum.plan.update": _("修改課程計畫"),
    "evidence.file.read": _("開啟檔案"),
    "evidence.file.store": _("存入檔案"),
    "notifications.feed.create": _("建立行事曆訂閱"),
    "notifications.feed.revoke": _("停用行事曆訂閱"),
    "notifications.preferences": _("變更通知設定"),
    "ops.backup_failed": _("備份失敗"),
    "ops.backup_queued": _("排入備份"),
    "ops.backup_started": _("開始備份"),
    "ops.backup_verified": _("備份驗證完成"),
    "ops.backup_written": _("備份寫入完成"),
    "ops.restored": _("自備份還原"),
    "parents.child.view": _("家長查看子女資料"),
    "portfolio.application_upload.purge_files": _("清除申請資料上傳檔的舊版檔案"),
    "portfolio.certification.remind": _("寄出認證提醒"),
    "portfolio.organizer.create": _("新增主辦機構"),
    "portfolio.organizer_key.issue": _("核發主辦機構 API 金鑰"),
    "portfolio.organizer_key.revoke": _("撤銷主辦機構 API 金鑰"),
    "portfolio.outcome.certify": _("認證課程學習成果"),
    "portfolio.outcome.create": _("上傳課程學習成果"),
    "portfolio.outcome.delete": _("刪除課程學習成果草稿"),
    "portfolio.outcome.purge_files": _("清除課程學習成果的舊版檔案"),
    "portfolio.outcome.return": _("退回課程學習成果"),
    "portfolio.outcome.revise": _("修改課程學習成果"),
    "portfolio.performance.create": _("上傳多元表現"),
    "portfolio.performance.delete": _("刪除多元表現"),
    "portfolio.performance.import": _("主辦機構匯入多元表現"),
    "portfolio.performance.import_correct": _("主辦機構更正多元表現"),
    "portfolio.performance.purge_files": _("清除多元表現的舊版檔案"),
    "portfolio.performance.revise": _("修改多元表現"),
    "portfolio.proxy.name": _("指定認證代理人"),
    "portfolio.proxy.remove": _("移除認證代理人"),
    "schools.attendance.update": _("登錄出缺勤"),
    "schools.cadre.create": _("新增幹部經歷"),
    "schools.cadre.delete": _("刪除幹部經歷"),
    "schools.correction.accept": _("同意基本資料更正"),
    "schools.correction.refuse": _("不予更正基本資料"),
    "schools.correction.request": _("申請更正基本資料"),
    "schools.placement.update": _("修改編班"),
    "schools.policy.update": _("修改學校設定"),
    "schools.reward.create": _("新增獎懲紀錄"),
    "schools.reward.delete": _("刪除獎懲紀錄"),
    "schools.student.register": _("登錄學生"),
    "schools.student.update": _("修改學生基本資料"),
    "schools.window.set": _("設定作業期程"),
    "selection.caps.set": _("設定勾選上限"),
    "selection.job.abandon": _("放棄提交作業"),
    "selection.job.restart": _("重新執行提交作業"),
    "selection.portfolio.download": _("下載學習歷程檔案"),
    "selection.save": _("儲存勾選"),
    "selection.submission.fail": _("提交中央資料庫失敗"),
    "selection.submission.received": _("中央資料庫收到提交"),
    "selection.submission.start": _("開始提交中央資料庫"),
    "selection.transfer.queue": _("排入轉學資料傳送"),
    "selection.transfer.receive": _("收到轉學資料"),
    "selection.transfer.refuse": _("拒收轉學資料"),
    "selection.transfer.start": _("開始傳送轉學資料"),
}

FIELDS = {
    "state": _("狀態"),
    "status": _("狀態"),
    "kind": _("類別"),
    "title": _("名稱"),
    "name": _("名稱"),
    "description": _("簡述"),
    "document": _("文件檔"),
    "media": _("影音檔"),
    "files": _("檔案"),
    "course": _("課程"),
    "reason": _("原因"),
    "note": _("說明"),
    "sha256": "SHA-256",
    "size": _("大小（位元組）"),
    "student": _("學生"),
    "students": _("學生數"),
    "teacher": _("教師"),
    "email": _("電子郵件"),
    "items": _("項目"),
    "record_id": _("紀錄編號"),
    "organizer": _("主辦機構"),
    "prefix": _("金鑰開頭"),
    "code": _("代碼"),
    "error": _("錯誤"),
    "relation": _("與學生關係"),
    "role": _("角色"),
    "roles": _("角色"),
    "level": _("層級"),
    "unit": _("單位"),
    "position": _("職稱"),
    "category": _("類別"),
    "activity_date": _("活動日期"),
    "link": _("連結"),
    "replaced": _("被取代的檔案"),
    "term": _("學期"),
    "details": _("類別欄位"),
    "fields": _("欄位"),
    "channel": _("招生管道"),
    "consent": _("同意時間"),
    "on": _("日期"),
    "source": _("來源"),
    "id": _("編號"),
}


# Stored values named by the choices they come from, by the action's object and the field.
VALUES: dict[tuple[str, str], type[models.TextChoices]] = {
    ("portfolio.outcome", "state"): OutcomeState,
    ("portfolio.outcome", "reason"): ReturnReason,
    ("portfolio.performance", "state"): PerformanceState,
    ("portfolio.performance", "category"): PerformanceCategory,
    ("accounts.binding", "status"): BindingStatus,
    ("accounts.binding", "relation"): Relation,
    ("schools.correction", "state"): CorrectionState,
    ("curriculum.plan", "state"): PlanState,
    ("curriculum.import", "state"): ImportState,
}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


def action_label(code: str) -> str:
    return str(ACTIONS.get(code, code))


def _text(value: Any, choices: type[models.TextChoices] | None = None) -> str:
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list | tuple):
        return "、".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{FIELDS.get(k, k)}：{_text(v)}" for k, v in value.items())
    return str(value)


def changes(action: str, before: dict | None, after: dict | None) -> list[Change]:
    """One line per field the entry names, before → after, in the order the entry wrote them."""
    before, after = before or {}, after or {}
    subject = action.rsplit(".", 1)[0]
    lines = []
    for key in dict.fromkeys([*before, *after]):
        if key in before and key in after and before[key] == after[key]:
            continue  # named for context by the code that wrote it, but it did not change
        choices = VALUES.get((subject, key))
        lines.append(
            Change(
                str(FIELDS.get(key, key)),
                _text(before[key], choices) if key in before else "",
                _text(after[key], choices) if key in after else "",
            )
        )
    return lines
