from django import forms

from qicha.core.forms import StyledFormMixin, style_fields
from qicha.orgs.models import Unit

from .models import Campaign, Phase


class SelfInspectionForm(StyledFormMixin, forms.Form):
    statement = forms.CharField(
        label="查摆情况", required=False, widget=forms.Textarea(attrs={"rows": 8}),
        help_text="本单位围绕该事项的实际行动、取得的成效，以及查摆出的问题。",
    )
    no_problem_found = forms.BooleanField(label="经查摆，未发现问题", required=False)
    reason = forms.CharField(
        label="未发现问题的理由", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="勾选“未发现问题”时必填：说明对照查摆的过程和依据。",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CampaignForm(StyledFormMixin, forms.ModelForm):
    participating_units = forms.ModelMultipleChoiceField(
        label="参与单位", queryset=Unit.objects.filter(is_active=True).order_by("path"),
        widget=forms.SelectMultiple(attrs={"data-tom-select": "multi"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Campaign
        fields = [
            "name", "year", "document_no", "description", "report_due_day",
            "stage_summary_due", "clue_clearance_date", "final_summary_due", "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "stage_summary_due": forms.DateInput(attrs={"data-datepicker": "1"}),
            "clue_clearance_date": forms.DateInput(attrs={"data-datepicker": "1"}),
            "final_summary_due": forms.DateInput(attrs={"data-datepicker": "1"}),
        }

    def __init__(self, *args, phases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.phase_kinds = []
        for phase in phases:
            for end in ("start_date", "end_date"):
                name = f"{phase.kind}_{end}"
                self.fields[name] = forms.DateField(
                    label=f"{phase.get_kind_display()}{'开始' if end == 'start_date' else '结束'}",
                    required=False, initial=getattr(phase, end),
                    widget=forms.DateInput(attrs={"data-datepicker": "1"}),
                )
            self.phase_kinds.append(phase.kind)
        style_fields(self)

    def basic_fields(self):
        return [self[name] for name in self.Meta.fields]

    def phase_values(self) -> list[dict]:
        return [
            {"kind": kind, "start_date": self.cleaned_data.get(f"{kind}_start_date"),
             "end_date": self.cleaned_data.get(f"{kind}_end_date")}
            for kind in self.phase_kinds
        ]

    def phase_rows(self):
        labels = dict(Phase.Kind.choices)
        return [(labels[k], self[f"{k}_start_date"], self[f"{k}_end_date"]) for k in self.phase_kinds]


PHASE_KINDS = [kind for kind, _ in Phase.Kind.choices]


class CampaignCreateForm(StyledFormMixin, forms.Form):
    """A new campaign: from the 七查七摆 template or as a copy of an earlier campaign (its check items as edited)."""

    source = forms.ChoiceField(label="查摆事项来源", help_text="复制往年行动时，沿用其查摆事项（含已填写的真实名称）。")
    name = forms.CharField(label="行动名称", max_length=120)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    document_no = forms.CharField(label="文号", max_length=80, required=False)
    description = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    organiser = forms.ModelChoiceField(label="牵头单位", queryset=Unit.objects.none())
    report_due_day = forms.IntegerField(label="月报截止日", min_value=1, max_value=28, help_text="每月几日前报送月报。")
    stage_summary_due = forms.DateField(label="阶段总结报送时限", required=False, widget=forms.DateInput())
    clue_clearance_date = forms.DateField(label="线索清仓见底时限", required=False, widget=forms.DateInput())
    final_summary_due = forms.DateField(label="工作总结报送时限", required=False, widget=forms.DateInput())
    participating_units = forms.ModelMultipleChoiceField(
        label="参与单位", queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"data-tom-select": "multi"}),
    )

    BASIC = ["source", "name", "year", "document_no", "description", "organiser", "report_due_day",
             "stage_summary_due", "clue_clearance_date", "final_summary_due"]

    def __init__(self, *args, units, earlier, **kwargs):
        super().__init__(*args, **kwargs)
        self.earlier = {str(c.pk): c for c in earlier}
        self.fields["source"].choices = [("template", "“七查七摆”模板（7 个查摆事项）")] + [
            (str(c.pk), f"复制：{c.name}") for c in earlier
        ]
        self.fields["organiser"].queryset = units
        self.fields["participating_units"].queryset = units
        labels = dict(Phase.Kind.choices)
        for kind in PHASE_KINDS:
            for end, word in (("start_date", "开始"), ("end_date", "结束")):
                self.fields[f"{kind}_{end}"] = forms.DateField(label=f"{labels[kind]}{word}", required=False,
                                                               widget=forms.DateInput())
        style_fields(self)

    def basic_fields(self):
        return [self[name] for name in self.BASIC]

    def phase_rows(self):
        labels = dict(Phase.Kind.choices)
        return [(labels[k], self[f"{k}_start_date"], self[f"{k}_end_date"]) for k in PHASE_KINDS]

    def copy_from(self):
        return self.earlier.get(self.cleaned_data["source"])

    def phase_values(self, plan: dict) -> list[dict]:
        tasks = {p["kind"]: p.get("tasks", "") for p in plan["phases"]}
        return [
            {"kind": kind, "start_date": self.cleaned_data.get(f"{kind}_start_date"),
             "end_date": self.cleaned_data.get(f"{kind}_end_date"), "tasks": tasks.get(kind, "")}
            for kind in PHASE_KINDS
        ]

    @staticmethod
    def initial_from(plan: dict) -> dict:
        initial = {name: plan[name] for name in ("report_due_day", "stage_summary_due", "clue_clearance_date",
                                                 "final_summary_due")}
        for phase in plan["phases"]:
            initial[f"{phase['kind']}_start_date"] = phase["start_date"]
            initial[f"{phase['kind']}_end_date"] = phase["end_date"]
        return initial


class CheckItemForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label="简称", max_length=40)
    check_text = forms.CharField(label="查", widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text="把“区县X局”“第X督导组”等占位写成真实名称。")
    present_text = forms.CharField(label="摆", widget=forms.Textarea(attrs={"rows": 2}))
    key_points = forms.CharField(label="工作重点", required=False, widget=forms.Textarea(attrs={"rows": 8}))
    version = forms.IntegerField(widget=forms.HiddenInput)
