from django import forms

from qicha.core.forms import MultipleFileField, MultipleFileInput, StyledFormMixin

from .models import DayKind, Domain, EvidenceCategory, FollowUpKind, ReplyChannel, Result, Source

DATE_ERRORS = {"invalid": "日期应写成 YYYY-MM-DD，且须是真实存在的日期", "required": "请填写日期"}
PERSON_ROWS, ORG_ROWS = 3, 2


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=forms.DateInput, error_messages=DATE_ERRORS)


class ClueForm(StyledFormMixin, forms.Form):
    source = forms.ChoiceField(label="线索来源", choices=Source.choices)
    reference_no = forms.CharField(label="线索编号", max_length=60, required=False,
                                   help_text="交办清单上的编号；同一来源内不能重复。")
    received_date = _date("受理日期")
    domain = forms.ChoiceField(label="涉及领域", choices=[("", "请选择"), *Domain.choices])
    region = forms.CharField(label="涉及地区", max_length=100, required=False,
                             widget=forms.TextInput(attrs={"placeholder": "如：城西区新华街道幸福村"}))
    content = forms.CharField(label="反映内容", widget=forms.Textarea(attrs={"rows": 5}))
    unit = forms.TypedChoiceField(label="承办单位", coerce=int, required=False, empty_value=None,
                                  help_text="扫黑办登记时可暂不分办；单位自行登记的线索由本单位承办。")
    real_name = forms.BooleanField(label="实名举报", required=False)
    reporter_name = forms.CharField(label="举报人姓名", max_length=50, required=False)
    reporter_id_number = forms.CharField(label="举报人身份证号", max_length=40, required=False)
    reporter_phone = forms.CharField(label="举报人联系电话", max_length=30, required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "（暂不分办）"), *((u.pk, u.name) for u in units)]

    def subject_rows(self):
        """(name field, number field) pairs for the template's grid."""
        return ([(self[f"person_{i}_name"], self[f"person_{i}_id_number"]) for i in range(PERSON_ROWS)]
                + [(self[f"org_{i}_name"], self[f"org_{i}_credit_code"]) for i in range(ORG_ROWS)])

    def reporter_fields(self):
        return [self["reporter_name"], self["reporter_id_number"], self["reporter_phone"]]

    def intake_values(self, units) -> dict:
        """The cleaned form as the intake service takes it; subjects' list positions map back to form fields."""
        data = {name: None for name in self.fields} | {k: v for k, v in self.cleaned_data.items()}
        data = {k: ("" if v is None and k not in ("unit", "received_date") else v) for k, v in data.items()}
        subjects, self.subject_fields = [], []
        for i in range(PERSON_ROWS):
            if data[f"person_{i}_name"] or data[f"person_{i}_id_number"]:
                subjects.append({"kind": "person", "name": data[f"person_{i}_name"], "id_number": data[f"person_{i}_id_number"]})
                self.subject_fields.append((f"person_{i}_name", f"person_{i}_id_number"))
        for i in range(ORG_ROWS):
            if data[f"org_{i}_name"] or data[f"org_{i}_credit_code"]:
                subjects.append({"kind": "organisation", "name": data[f"org_{i}_name"],
                                 "credit_code": data[f"org_{i}_credit_code"]})
                self.subject_fields.append((f"org_{i}_name", f"org_{i}_credit_code"))
        return {
            "source": data["source"], "reference_no": data["reference_no"], "received_date": data["received_date"],
            "domain": data["domain"], "region": data["region"], "content": data["content"],
            "unit": next((u for u in units if u.pk == data["unit"]), None), "real_name": data["real_name"],
            "reporter": {"name": data["reporter_name"], "id_number": data["reporter_id_number"],
                         "phone": data["reporter_phone"]},
            "subjects": subjects,
        }

    def add_service_errors(self, details: dict, *, keep_existing: bool = False) -> None:
        """Map the service's field keys (reporter.phone, subjects.1.id_number) onto this form's fields.
        With `keep_existing`, a field that already has the form's own error keeps just that one."""
        for key, message in details.items():
            if key.startswith("reporter."):
                field = f"reporter_{key.split('.', 1)[1]}"
            elif key.startswith("subjects."):
                _, index, part = key.split(".")
                name_field, number_field = self.subject_fields[int(index)]
                field = name_field if part == "name" else number_field
            else:
                field = key
            if keep_existing and field in self.errors:
                continue
            self.add_error(field if field in self.fields else None, message)


# Rows for the people and organisations concerned, declared once on the class so styling applies to them.
for _i in range(PERSON_ROWS):
    ClueForm.base_fields[f"person_{_i}_name"] = forms.CharField(label=f"被反映人{_i + 1} 姓名", max_length=100, required=False)
    ClueForm.base_fields[f"person_{_i}_id_number"] = forms.CharField(label="身份证号", max_length=40, required=False)
for _i in range(ORG_ROWS):
    ClueForm.base_fields[f"org_{_i}_name"] = forms.CharField(label=f"被反映组织{_i + 1} 名称", max_length=100, required=False)
    ClueForm.base_fields[f"org_{_i}_credit_code"] = forms.CharField(label="统一社会信用代码", max_length=30, required=False)


class AssignForm(StyledFormMixin, forms.Form):
    unit = forms.TypedChoiceField(label="承办单位", coerce=int, widget=forms.Select(attrs={"data-tom-select": "single"}))
    handler = forms.TypedChoiceField(label="承办人", coerce=int, required=False, empty_value=None)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, units=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "请选择"), *((u.pk, u.name) for u in units)]
        self.fields["handler"].choices = [("", "（由承办单位确定）"), *((p.pk, f"{p.display_name}（{p.unit.name}）") for p in people)]


class ResultForm(StyledFormMixin, forms.Form):
    result = forms.ChoiceField(label="核查结论", choices=Result.choices, widget=forms.RadioSelect)
    findings = forms.CharField(label="核查情况", widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class FollowUpForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="处置方式", choices=FollowUpKind.choices)
    date = _date("处置日期")
    document_no = forms.CharField(label="文号", max_length=80)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    measures = forms.CharField(label="整改措施（处置方式为“整改”时必填）", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    deadline = _date("整改时限（处置方式为“整改”时必填）", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReplyForm(StyledFormMixin, forms.Form):
    date = _date("答复日期")
    channel = forms.ChoiceField(label="答复方式", choices=ReplyChannel.choices)
    content = forms.CharField(label="答复内容", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reporter_response = forms.CharField(label="举报人（家属）反馈", widget=forms.Textarea(attrs={"rows": 2}))
    soothing = forms.CharField(label="家属答复及情绪安抚情况（提级复核后填写）", required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    opinion = forms.CharField(label="办结意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CloseForm(StyledFormMixin, forms.Form):
    opinion = forms.CharField(label="办结意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    no_follow_up_reason = forms.CharField(
        label="未作后续处置的理由", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="核查属实或部分属实的线索，须先登记后续处置；确无后续处置的，在此说明理由。")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EvidenceForm(StyledFormMixin, forms.Form):
    category = forms.ChoiceField(label="材料类别", choices=[("", "请选择"), *EvidenceCategory.choices], required=False)
    note = forms.CharField(label="说明", required=False, max_length=200)
    files = MultipleFileField(
        label="文件", required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.doc,.xls"}),
        help_text="PDF、图片、Word、Excel，单个不超过 20 MB。",
    )


class RevealForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label="查看理由", max_length=200,
                             widget=forms.TextInput(attrs={"placeholder": "如：联系举报人反馈核查结果"}))


class TimeLimitForm(StyledFormMixin, forms.Form):
    source = forms.ChoiceField(choices=Source.choices, widget=forms.HiddenInput)
    days = forms.IntegerField(label="时限（天）", min_value=1, max_value=365)
    day_kind = forms.ChoiceField(label="计算方式", choices=DayKind.choices)
