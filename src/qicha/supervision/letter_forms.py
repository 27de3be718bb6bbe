from django import forms

from qicha.core.forms import StyledFormMixin
from qicha.problems.numbers import format_problem_no

from .models import AccountabilityForm, CheckResult, Failing, LetterKind

SCAN_ACCEPT = ".pdf,.jpg,.jpeg,.png"


class LetterForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="类别", choices=LetterKind.choices)
    unit = forms.TypedChoiceField(label="签订单位", coerce=int, widget=forms.Select(attrs={"data-tom-select": "single"}))
    signer = forms.CharField(label="签订人", max_length=50, help_text="代表签订单位签字的负责人。")
    signer_title = forms.CharField(label="职务", max_length=50, required=False)
    counterpart = forms.CharField(label="签订对象", max_length=100, required=False, initial="局党组")
    signed_on = forms.DateField(label="签订日期", widget=forms.DateInput)
    scope = forms.CharField(label="责任或承诺事项", widget=forms.Textarea(attrs={"rows": 5}))
    scan = forms.FileField(label="扫描件", required=False, widget=forms.ClearableFileInput(attrs={"accept": SCAN_ACCEPT}),
                           help_text="签字盖章后的扫描件，PDF 或图片，不超过 20 MB。")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, units=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        if editing:  # the kind and unit identify the letter; a correction changes the rest
            for name in ("kind", "unit"):
                self.fields[name].disabled = True
                self.fields[name].required = False
            self.fields["scan"].help_text = "如需更换扫描件，请重新选择文件；不选择则保留原扫描件。"


class CheckForm(StyledFormMixin, forms.Form):
    checked_on = forms.DateField(label="检查日期", widget=forms.DateInput)
    checked_by = forms.CharField(label="检查人", max_length=100)
    method = forms.CharField(label="检查方式", max_length=100,
                             widget=forms.TextInput(attrs={"placeholder": "如：查阅台账、个别谈话、实地察看"}))
    result = forms.ChoiceField(label="检查结果", choices=CheckResult.choices, widget=forms.RadioSelect,
                               initial=CheckResult.FULFILLED)
    findings = forms.CharField(label="检查情况", widget=forms.Textarea(attrs={"rows": 3}))
    description = forms.CharField(label="问题描述", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text="结果为“发现问题”或“违反承诺”时必填，登记到问题整改台账（督导检查发现，立即整改）。")
    measures = forms.CharField(label="整改措施", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label="整改时限", required=False, widget=forms.DateInput)
    form = forms.ChoiceField(label="问责方式", choices=AccountabilityForm.choices, initial=AccountabilityForm.TALK,
                             help_text="结果为“违反承诺”时登记问责记录。")
    person = forms.CharField(label="被问责人", max_length=50, required=False, help_text="默认为签订人。")
    person_title = forms.CharField(label="职务", max_length=50, required=False)
    decision_no = forms.CharField(label="问责决定文号", max_length=80, required=False)
    decided_on = forms.DateField(label="决定日期", required=False, widget=forms.DateInput)

    PROBLEM_FIELDS = ("description", "measures", "deadline")
    ACCOUNTABILITY_FIELDS = ("form", "person", "person_title", "decision_no", "decided_on")


class AccountabilityRecordForm(StyledFormMixin, forms.Form):
    unit = forms.TypedChoiceField(label="被问责单位", coerce=int, widget=forms.Select(attrs={"data-tom-select": "single"}))
    person = forms.CharField(label="被问责人", max_length=50, required=False, help_text="对单位问责时可不填。")
    person_title = forms.CharField(label="职务", max_length=50, required=False)
    failing = forms.ChoiceField(label="问责情形", choices=Failing.choices)
    form = forms.ChoiceField(label="问责方式", choices=AccountabilityForm.choices)
    decision_no = forms.CharField(label="决定文号", max_length=80)
    decided_on = forms.DateField(label="决定日期", widget=forms.DateInput)
    facts = forms.CharField(label="问责事由", widget=forms.Textarea(attrs={"rows": 4}))
    problems = forms.TypedMultipleChoiceField(label="相关问题", coerce=int, required=False,
                                              widget=forms.SelectMultiple(attrs={"data-tom-select": "multi"}))
    clues = forms.TypedMultipleChoiceField(label="相关线索", coerce=int, required=False,
                                           widget=forms.SelectMultiple(attrs={"data-tom-select": "multi"}))

    def __init__(self, *args, units=(), problems=(), clues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        self.fields["problems"].choices = [
            (p.pk, f"{format_problem_no(p.pk)} {p.unit.name}：{p.description[:40]}（{p.get_status_display()}）") for p in problems
        ]
        self.fields["clues"].choices = [
            (c.pk, f"#{c.pk} {c.unit.name if c.unit_id else '未分办'}：{c.content[:40]}") for c in clues
        ]
