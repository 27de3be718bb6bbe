from django import forms

from qicha.core.forms import StyledFormMixin

from .models import InspectionKind, Rating
from .services.draw import MAX_PER_UNIT, SEED_MAX

PLANNED_KINDS = [c for c in InspectionKind.choices if c[0] != InspectionKind.RANDOM]


class PlanForm(StyledFormMixin, forms.Form):
    """The plan; for 专项督查、联合督查、第三方评估 the office names the units and inspectors."""

    kind = forms.ChoiceField(label="检查方式", choices=PLANNED_KINDS)
    title = forms.CharField(label="检查名称", max_length=200)
    focus = forms.CharField(label="检查重点", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    partners = forms.CharField(label="联合部门", max_length=200, required=False, help_text="联合督查必填，如：市公安局、市市场监管局。")
    evaluator = forms.CharField(label="第三方评估机构", max_length=200, required=False, help_text="第三方评估必填。")
    starts_on = forms.DateField(label="开始日期", widget=forms.DateInput)
    ends_on = forms.DateField(label="结束日期", widget=forms.DateInput)
    units = forms.TypedMultipleChoiceField(label="被检查单位", coerce=int,
                                           widget=forms.SelectMultiple(attrs={"data-tom-select": "multi"}))
    inspectors = forms.TypedMultipleChoiceField(label="检查人员", coerce=int, required=False,
                                                widget=forms.SelectMultiple(attrs={"data-tom-select": "multi"}),
                                                help_text="持有“开展督导检查”权限的在岗人员。")

    def __init__(self, *args, units=(), pool=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [(u.pk, u.name) for u in units]
        self.fields["inspectors"].choices = [(u.pk, person_label(u)) for u in pool]


class RandomPlanForm(StyledFormMixin, forms.Form):
    """随机抽查: the plan and the draw's parameters; units and inspectors come from the draw."""

    title = forms.CharField(label="检查名称", max_length=200)
    focus = forms.CharField(label="检查重点", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = forms.DateField(label="开始日期", widget=forms.DateInput)
    ends_on = forms.DateField(label="结束日期", widget=forms.DateInput)
    candidates = forms.TypedMultipleChoiceField(
        label="候选单位", coerce=int, required=False, widget=forms.SelectMultiple(attrs={"data-tom-select": "multi"}),
        help_text="不选即为本专项行动全部参与的区县局、局属单位和局机关科室；选择则只在所选单位中抽取。")
    count = forms.IntegerField(label="抽取单位数", min_value=1, initial=2)
    per_unit = forms.IntegerField(label="每个单位的检查人员数", min_value=1, max_value=MAX_PER_UNIT, initial=2)
    seed = forms.CharField(label="随机种子", max_length=SEED_MAX, required=False,
                           help_text="可输入公开的种子（如当日某公开数字）；不填则由系统随机生成并记录。")

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].choices = [(u.pk, u.name) for u in candidates]


class DrawForm(RandomPlanForm):
    """The draw alone, for a 随机抽查 planned without one (e.g. through the API)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "focus", "starts_on", "ends_on"):
            del self.fields[name]


class RatingForm(StyledFormMixin, forms.Form):
    rating = forms.ChoiceField(label="评价", choices=[("", "请选择"), *Rating.choices])
    notes = forms.CharField(label="检查情况", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FindingForm(StyledFormMixin, forms.Form):
    target = forms.TypedChoiceField(label="被检查单位", coerce=int)
    description = forms.CharField(label="发现的问题", widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(label="整改要求", widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label="整改时限", widget=forms.DateInput)
    responsible_person = forms.TypedChoiceField(label="责任人", coerce=int, required=False, empty_value=None,
                                                widget=forms.Select(attrs={"data-tom-select": "single"}),
                                                help_text="可不指定，由被检查单位联络员指定。")

    def __init__(self, *args, targets=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [(t.pk, t.unit.name) for t in targets]
        self.fields["responsible_person"].choices = [("", "（暂不指定）"), *((p.pk, person_label(p)) for p in people)]


class ActionForm(StyledFormMixin, forms.Form):
    summary = forms.CharField(label="总体评价", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def person_label(user) -> str:
    return f"{user.display_name}（{user.unit.name}）" if user.unit_id else user.display_name
