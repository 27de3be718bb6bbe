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
