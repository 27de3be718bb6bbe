from django import forms

from qicha.core.forms import MultipleFileField, MultipleFileInput, StyledFormMixin
from qicha.problems.numbers import format_problem_no

from .models import CaseSource


class CaseForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="案件名称", max_length=200)
    source = forms.ChoiceField(label="案件来源", choices=[c for c in CaseSource.choices if c[0] != CaseSource.CLUE])
    reference_no = forms.CharField(label="交办编号", max_length=60, required=False)
    unit = forms.TypedChoiceField(label="承办单位", coerce=int, widget=forms.Select(attrs={"data-tom-select": "single"}))
    received_date = forms.DateField(label="交办日期", widget=forms.DateInput)
    summary = forms.CharField(label="基本案情", widget=forms.Textarea(attrs={"rows": 4}))
    instruction = forms.CharField(label="领导批示内容", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text="领导批示案件必填。")

    def __init__(self, *args, units=(), from_clue=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        if from_clue:  # 线索立案: the source is the clue itself
            self.fields["source"].choices = [c for c in CaseSource.choices if c[0] == CaseSource.CLUE]


class CaseProgressForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label="办理进展", widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(
        label="附件", required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.doc,.xls"}),
        help_text="PDF、图片、Word、Excel，单个不超过 20 MB。",
    )


class CaseActionForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label="退回理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    conclusion = forms.CharField(label="办理结果", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RectificationForm(StyledFormMixin, forms.Form):
    gap = forms.CharField(label="暴露的行业监管漏洞", widget=forms.Textarea(attrs={"rows": 3}),
                          help_text="本案暴露出民政领域哪一方面的监管漏洞。")
    measures = forms.CharField(label="整治措施", widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.TypedMultipleChoiceField(label="整改问题", coerce=int, required=False,
                                              widget=forms.SelectMultiple(attrs={"data-tom-select": "multi"}),
                                              help_text="关联问题整改台账中为本案所立的问题；也可在下方直接立整改问题。")
    no_problem_reason = forms.CharField(label="未立整改问题的理由", required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}),
                                        help_text="不立整改问题时必须说明理由。")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, problems=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problems"].choices = [
            (p.pk, f"{format_problem_no(p.pk)} {p.unit.name}：{p.description[:40]}（{p.get_status_display()}）") for p in problems
        ]


class RectificationProblemForm(StyledFormMixin, forms.Form):
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 2}))
    measures = forms.CharField(label="整改措施", widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label="整改时限", widget=forms.DateInput)
