"""Forms of the admissions pages. Validation of the rules stays in the domain functions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from licheng.admissions.domain.setup import CHANNEL_CAP_FIELDS
from licheng.admissions.enums import ItemKind, RequiredItem, SubjectKind, WeightPart
from licheng.admissions.models import Channel, Department
from licheng.lib.i18n import in_brackets

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("學年度"), min_value=100, max_value=200)
    name = forms.CharField(label=_("名稱"), max_length=60, required=False)


# The models' verbose names are plain zh-Hant: the forms say them in the reader's language.
CAP_LABELS = {
    "max_project_outcomes": _("專題實作及實習成果上限"),
    "min_project_outcomes": _("專題實作及實習成果下限"),
    "max_other_outcomes": _("其他課程學習成果上限"),
    "max_performances": _("多元表現上限"),
    "registration_opens_on": _("報名開始日期"),
    "registration_closes_on": _("報名截止日期"),
}


class ChannelForm(forms.ModelForm):
    class Meta:
        model = Channel
        fields = CHANNEL_CAP_FIELDS
        widgets = {"registration_opens_on": DATE, "registration_closes_on": DATE}
        labels = {"max_outcomes": _("課程學習成果上限（合計）"), **CAP_LABELS}


class DepartmentForm(forms.ModelForm):
    required_items = forms.MultipleChoiceField(
        label=_("必繳項目"),
        choices=RequiredItem.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("未勾選的項目為選繳"),
    )

    class Meta:
        model = Department
        fields = [
            "code",
            "university",
            "name",
            "max_outcomes",
            "max_project_outcomes",
            "max_performances",
            "required_items",
            "rubric_levels",
            "discrepancy_threshold",
            "review_opens_on",
            "review_closes_on",
            "hide_names",
        ]
        widgets = {"review_opens_on": DATE, "review_closes_on": DATE}
        labels = {
            "code": _("校系代碼"),
            "university": _("學校"),
            "name": _("系所名稱"),
            "max_outcomes": _("課程學習成果上限"),
            "max_project_outcomes": CAP_LABELS["max_project_outcomes"],
            "max_performances": CAP_LABELS["max_performances"],
            "rubric_levels": _("評分等級數"),
            "discrepancy_threshold": _("差分檢核門檻（分）"),
            "review_opens_on": _("審查開始日期"),
            "review_closes_on": _("審查截止日期"),
            "hide_names": _("審查時隱藏考生姓名"),
        }
        help_texts = {
            "max_outcomes": _("空白表示依管道上限；只能調降"),
            "max_project_outcomes": _("空白表示依管道上限；只能調降"),
            "max_performances": _("空白表示依管道上限；只能調降"),
            "discrepancy_threshold": _("兩位委員總分相差超過此分數即列入差分檢核"),
        }


class CriterionForm(forms.Form):
    """One rubric criterion with a descriptor per level (評分項目與各等級描述)."""

    name = forms.CharField(label=_("評分項目"), max_length=60, required=False)
    weight = forms.IntegerField(label=_("權重"), min_value=1, max_value=100, required=False)

    def __init__(self, *args, levels: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = levels
        for level in range(1, levels + 1):
            self.fields[f"level_{level}"] = forms.CharField(
                label=_("第 %(n)s 級描述") % {"n": level},
                max_length=300,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @property
    def level_fields(self):
        return [self[f"level_{n}"] for n in range(1, self.levels + 1)]

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("name") and not any(
            data.get(f"level_{n}") for n in range(1, self.levels + 1)
        )

    def clean(self):
        data = super().clean()
        if not self.is_blank() and not data.get("weight") and "weight" not in self.errors:
            self.add_error("weight", _("請填寫權重"))
        return data


RubricFormSet = forms.formset_factory(CriterionForm, extra=0, max_num=12, absolute_max=12)


class WeightsForm(forms.Form):
    """Stage-two weights (第二階段成績比例) and unified-exam subjects; R30 is checked on save."""

    SUBJECT_ROWS = 6  # more rows than the 4 allowed, so a fifth subject gets R30's message

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for part in WeightPart:
            self.fields[f"part_{part.value}"] = forms.DecimalField(
                label=_("%(part)s（%%）") % {"part": part.label},
                required=False,
                min_value=0,
                max_value=100,
                decimal_places=2,
            )
        for i in range(1, self.SUBJECT_ROWS + 1):
            self.fields[f"subject_{i}_name"] = forms.CharField(
                label=_("科目 %(n)s 名稱") % {"n": i}, max_length=30, required=False
            )
            self.fields[f"subject_{i}_kind"] = forms.ChoiceField(
                label=_("科目 %(n)s 類別") % {"n": i}, choices=SubjectKind.choices, required=False
            )
            self.fields[f"subject_{i}_weight"] = forms.DecimalField(
                label=_("科目 %(n)s 加權") % {"n": i},
                required=False,
                min_value=0,
                max_value=10,
                decimal_places=2,
            )

    @property
    def part_fields(self):
        return [self[f"part_{p.value}"] for p in WeightPart]

    @property
    def subject_rows(self):
        return [
            (i, self[f"subject_{i}_name"], self[f"subject_{i}_kind"], self[f"subject_{i}_weight"])
            for i in range(1, self.SUBJECT_ROWS + 1)
        ]

    def clean(self):
        data = super().clean()
        for i in range(1, self.SUBJECT_ROWS + 1):
            if data.get(f"subject_{i}_name") and data.get(f"subject_{i}_weight") is None:
                self.add_error(f"subject_{i}_weight", _("請填寫此科目的加權"))
        return data


class ReviewerForm(forms.Form):
    username = forms.CharField(label=_("審查委員帳號"), max_length=150)
    is_chair = forms.BooleanField(label=_("擔任召集人"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("校系資料檔（.xlsx 或 .csv）"),
        help_text=_(
            "第一列為欄位名稱：校系代碼、學校、系所名稱、課程學習成果上限、專題實作及實習成果上限、多元表現上限、必繳項目、差分檢核門檻、審查開始日期、審查截止日期"
        ),
    )


class ConsentForm(forms.Form):
    consent = forms.BooleanField(label=_("我同意授權釋出學習歷程資料"), required=False)


class StartForm(forms.Form):
    department = forms.ModelChoiceField(label=_("申請校系"), queryset=Department.objects.none())

    def __init__(self, *args, channel, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = channel.departments.all()


class PickForm(forms.Form):
    items = forms.MultipleChoiceField(
        label=_("從中央資料庫勾選的項目"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, available, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [
            (p.ref, f"{p.kind.label}｜{p.title}" + (in_brackets(p.detail) if p.detail else ""))
            for p in available
        ]


class DocumentsForm(forms.Form):
    d1_text = forms.CharField(
        label=_("多元表現綜整心得（D1）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "data-max-chars": "800"}),
        help_text=_("最多 800 字，可另上傳最多 3 張圖片"),
    )
    d2_reflection = forms.CharField(
        label=_("學習歷程反思"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    d2_motivation = forms.CharField(
        label=_("就讀動機"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    d2_plan = forms.CharField(
        label=_("未來學習計畫與生涯規劃"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("檔案類別"))
    title = forms.CharField(label=_("名稱"), max_length=120, required=False)
    file = forms.FileField(label=_("檔案"), help_text=_("PDF（圖片可用 JPG/PNG），單檔 4 MB 以內"))

    def __init__(self, *args, self_portfolio: bool, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [ItemKind.D1_IMAGE, ItemKind.FORM_A, ItemKind.FORM_B, ItemKind.OTHER_DOCUMENT]
        if self_portfolio:
            kinds.append(ItemKind.SELF_PORTFOLIO)
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]


class ScoreForm(forms.Form):
    """A level per rubric criterion (radio buttons labelled with the descriptors) and a comment."""

    comment = forms.CharField(
        label=_("評語"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"criterion_{c.pk}"] = forms.TypedChoiceField(
                label=_("%(criterion)s（權重 %(weight)s）")
                % {"criterion": c.name, "weight": c.weight},
                coerce=int,
                choices=[(n, f"{n} — {d}") for n, d in enumerate(c.descriptors, start=1)],
                widget=forms.RadioSelect,
                error_messages={"required": _("請為此項目選擇等級")},
            )

    @property
    def criterion_fields(self):
        return [self[f"criterion_{c.pk}"] for c in self.criteria]

    def levels(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


class ResolveForm(forms.Form):
    score = forms.DecimalField(label=_("議定分數"), min_value=0, max_value=100, decimal_places=2)
    note = forms.CharField(
        label=_("討論紀錄"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
