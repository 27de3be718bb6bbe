import re
from datetime import date

from django import forms

from qicha.core.dates import impossible_date
from qicha.core.forms import MultipleFileField, MultipleFileInput, StyledFormMixin

from .models import SIX_CHECKS, RectificationType, Source
from .numbers import format_problem_no


class ProblemForm(StyledFormMixin, forms.Form):
    unit = forms.TypedChoiceField(label="责任单位", coerce=int, widget=forms.Select(attrs={"data-tom-select": "single"}))
    check_item = forms.TypedChoiceField(label="查摆事项", coerce=int, required=False, empty_value=None)
    source = forms.ChoiceField(label="问题来源", choices=Source.choices)
    aspect = forms.TypedChoiceField(label="反馈方面（督导组反馈问题）", coerce=int, required=False, empty_value=None)
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 4}))
    category = forms.CharField(label="问题类别", max_length=60, required=False)
    rectification_type = forms.ChoiceField(
        label="整改类型", choices=RectificationType.choices, widget=forms.RadioSelect,
        help_text="能立即整改的立行立改；需一段时间的限期整改并倒排时间表；需较长时间的制定系统性专项整改计划。",
    )
    measures = forms.CharField(label="整改措施", widget=forms.Textarea(attrs={"rows": 4}))
    deadline = forms.DateField(label="整改时限", widget=forms.DateInput)
    responsible_leader = forms.CharField(label="责任领导", max_length=50, required=False)
    responsible_department = forms.CharField(label="责任部门", max_length=100, required=False)
    responsible_person_name = forms.CharField(
        label="责任人", max_length=50, required=False,
        widget=forms.TextInput(attrs={"list": "responsible-people", "autocomplete": "off"}),
        help_text="可填任何人的姓名；与责任单位在岗人员同名（或填其用户名）的，问题同时关联到该账号，待办发给他。",
    )
    responsible_person_post = forms.CharField(label="责任人职务", max_length=50, required=False)
    responsible_person_phone = forms.CharField(label="责任人电话", max_length=30, required=False)
    milestones = forms.CharField(
        label="时间表（每行一个节点：完成时限 节点内容）", required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "2026-12-10 完成问题核实\n2026-12-25 完成整改并报送佐证"}),
        help_text="限期整改、长期整改必填，节点时限不能晚于整改时限；已完成的节点在行首加“√”。",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, units=(), check_items=(), aspects=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = list(people)  # the suggestions (<datalist>) for 责任人
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        self.fields["check_item"].choices = [("", "（不对应具体事项）"), *((i.pk, f"{i.label}{i.title}") for i in check_items)]
        self.fields["aspect"].choices = [("", "—"), *((a.pk, f"{a.ordinal}. {a.title}") for a in aspects)]

    def clean_milestones(self):

        rows, errors = [], []
        for number, line in enumerate((self.cleaned_data.get("milestones") or "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            done = line.startswith(("√", "✓", "[x]"))
            line = line.lstrip("√✓").removeprefix("[x]").strip()
            due_text, _, title = line.partition(" ")
            due_text = due_text.strip()
            try:
                due = date.fromisoformat(due_text)
            except ValueError:
                if re.fullmatch(r"\d{4}-\d{2}-\d{2}", due_text):
                    errors.append(f"第 {number} 行：{impossible_date(due_text)}")
                else:
                    errors.append(f"第 {number} 行：日期“{due_text}”应写成 YYYY-MM-DD")
                continue
            rows.append({"due_date": due, "title": title.strip(), "done": done})
        if errors:
            raise forms.ValidationError("；".join(errors))
        return rows


class ProgressForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label="整改进展", widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(label="完成进度(%)", min_value=0, max_value=100, initial=0)
    files = MultipleFileField(
        label="佐证材料", required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.doc,.xls"}),
        help_text="PDF、图片、Word、Excel，单个不超过 20 MB。",
    )


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class SignOffForm(StyledFormMixin, forms.Form):
    opinion = forms.CharField(label="销号意见", widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in SIX_CHECKS.items():
            self.fields[f"check_{key}"] = forms.BooleanField(label=f"{label}不放过", required=False)
        self.order_fields([f"check_{k}" for k in SIX_CHECKS] + ["opinion", "version"])

    def checks(self) -> dict:
        return {key: bool(self.cleaned_data.get(f"check_{key}")) for key in SIX_CHECKS}


class RuleForm(StyledFormMixin, forms.Form):
    unit = forms.TypedChoiceField(label="制定单位", coerce=int, widget=forms.Select(attrs={"data-tom-select": "single"}))
    title = forms.CharField(label="制度名称", max_length=200)
    document_no = forms.CharField(label="文号", max_length=80, required=False)
    issued_on = forms.DateField(label="印发日期", required=False, widget=forms.DateInput)
    summary = forms.CharField(label="主要内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    problems = forms.TypedMultipleChoiceField(label="对应问题", coerce=int, required=False,
                                              widget=forms.SelectMultiple(attrs={"data-tom-select": "multi"}))

    def __init__(self, *args, units=(), problems=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        self.fields["problems"].choices = [(p.pk, f"{format_problem_no(p.pk)} {p.unit.name}：{p.description[:40]}") for p in problems]
