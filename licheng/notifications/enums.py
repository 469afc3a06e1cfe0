from django.db import models
from django.utils.translation import gettext_lazy as _

from licheng.lib import events


class NotificationKind(models.TextChoices):
    """Kinds of notification (通知類別); a person chooses the channel for each."""

    WINDOW_OPENING = events.WINDOW_OPENING, _("作業期程即將開始")
    WINDOW_CLOSING = events.WINDOW_CLOSING, _("作業期程即將截止")
    OUTCOME_RETURNED = events.OUTCOME_RETURNED, _("課程學習成果被退回")
    CERTIFICATION_WAITING = events.CERTIFICATION_WAITING, _("課程學習成果待認證")
    RECEIPT_TO_CONFIRM = events.RECEIPT_TO_CONFIRM, _("收訖明細待確認")
    BINDING_WAITING = events.BINDING_WAITING, _("親子綁定待審核")
    BINDING_DECIDED = events.BINDING_DECIDED, _("親子綁定審核結果")


class Channel(models.TextChoices):
    """How a person wants one kind of notification (通知方式)."""

    EMAIL = "email", _("電子郵件與站內通知")
    IN_APP = "in_app", _("僅站內通知")
