"""The entry form generated from a ledger definition, and the column editor of the definitions page."""

from django import forms

from qicha.core.forms import StyledFormMixin

from . import columns as col
from .models import Frequency

UNIT_KIND_LABELS = [("department", "局机关科室"), ("subordinate", "局属单位"), ("district_bureau", "区县局"),
                    ("district_department", "区县局科室"), ("district_subordinate", "区县局属单位"),
                    ("campaign_office", "扫黑办"), ("city_bureau", "市局")]


class RowForm(StyledFormMixin, forms.Form):
    """Fields only render and carry what was typed: the service parses and validates every value, and its
    per-column messages are put back on the fields (so one rule holds for the page, the API and the import)."""

    def __init__(self, definition, ctx: col.Context, units, *args, row=None, **kwargs):
        initial = {}
        if row is not None:
            initial = {c["key"]: col.form_initial(c, row.values.get(c["key"]), ctx) for c in definition.columns}
            initial["unit"] = str(row.unit_id)
        super().__init__(*args, initial=initial, **kwargs)
        if row is None:
            self.fields["unit"] = forms.ChoiceField(label="填报单位", choices=[(str(u.pk), u.name) for u in units],
                                                    required=False)
            self.fields["unit"].ledger_required = True
            self.fields["unit"].widget.attrs["class"] = "form-select"
        for column in definition.visible_columns:
            field = col.form_field(column, ctx)
            field.ledger_required = bool(column.get("required"))
            self.fields[column["key"]] = field
        self.definition = definition
        from qicha.core.forms import style_fields

        style_fields(self)

    def raw_values(self) -> dict:
        """What was typed, per column (lists for multiple choice), for the service to parse."""
        values = {}
        for column in self.definition.visible_columns:
            key = column["key"]
            if column["type"] == col.MULTI:
                values[key] = self.data.getlist(key)
            elif column["type"] == col.ATTACHMENT:
                values[key] = self.files.get(key) or (self.initial.get(key) if self.initial else None)
            else:
                values[key] = self.data.get(key)
        return values


class DefinitionForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="台账名称", max_length=100, required=False)
    frequency = forms.ChoiceField(label="填报频次", choices=Frequency.choices, initial=Frequency.EVENT)
    check_item = forms.ChoiceField(label="服务的查摆事项", required=False,
                                   choices=[("", "—")] + [(str(i), f"第{i}项") for i in range(1, 8)])
    unit_kinds = forms.MultipleChoiceField(label="填报单位类型（不选则所有单位）", required=False,
                                           choices=UNIT_KIND_LABELS, widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


def columns_from_post(data) -> list[dict]:
    """The column editor's rows (col-<i>-label …) in the order of their 序号; rows without a label are ignored."""
    rows = []
    index = 0
    while f"col-{index}-type" in data:
        prefix = f"col-{index}-"
        label = (data.get(prefix + "label") or "").strip()
        if label or data.get(prefix + "key"):
            try:
                order = float(data.get(prefix + "order") or index + 1)
            except ValueError:
                order = index + 1
            rows.append((order, index, {
                "key": data.get(prefix + "key") or "", "label": label, "type": data.get(prefix + "type"),
                "required": bool(data.get(prefix + "required")), "help": data.get(prefix + "help") or "",
                "options": data.get(prefix + "options") or "", "hidden": bool(data.get(prefix + "hidden")),
            }))
        index += 1
    return [column for _, _, column in sorted(rows, key=lambda r: (r[0], r[1]))]
