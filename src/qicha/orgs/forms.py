from django import forms

from qicha.core.forms import StyledFormMixin

from . import permissions
from .models import DataScope, Role, Unit, UnitKind


def unit_choices():
    return [(u.pk, f"{'　' * (u.depth - 1)}{u.name}") for u in Unit.objects.order_by("path")]


class UnitForm(StyledFormMixin, forms.Form):
    parent = forms.TypedChoiceField(label="上级单位", coerce=int, required=False, empty_value=None,
                                    widget=forms.Select(attrs={"data-tom-select": "single"}))
    name = forms.CharField(label="单位名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=40, required=False)
    kind = forms.ChoiceField(label="单位类型", choices=[("", "请选择"), *UnitKind.choices])
    code = forms.CharField(label="单位代码", max_length=32, required=False)
    region_code = forms.CharField(label="行政区划代码", max_length=12, required=False,
                                  help_text="区县 6 位、村（社区）12 位；数据比对按此把核查任务分给本单位。")
    is_active = forms.BooleanField(label="启用", required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", "请选择上级单位"), *unit_choices()]
        if editing:
            # Moving a unit re-paths its whole subtree; it is left to a later, deliberate feature.
            del self.fields["parent"]


class UserForm(StyledFormMixin, forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=50)
    unit = forms.TypedChoiceField(label="所属单位", coerce=int, widget=forms.Select(attrs={"data-tom-select": "single"}))
    phone = forms.CharField(label="联系电话", max_length=32, required=False)
    email = forms.EmailField(label="电子邮箱", required=False, help_text="用于接收提醒邮件（系统配置了发信服务器时）；可不填。")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "请选择所属单位"), *unit_choices()]
        if editing:
            self.fields["username"].disabled = True


class RoleForm(StyledFormMixin, forms.Form):
    code = forms.SlugField(label="角色代码", max_length=40, help_text="英文字母、数字、下划线，创建后不可修改。")
    name = forms.CharField(label="角色名称", max_length=60)
    description = forms.CharField(label="说明", max_length=200, required=False)
    permissions = forms.MultipleChoiceField(
        label="权限", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[("业务权限", list(permissions.BUSINESS.items())), ("管理权限", list(permissions.ADMIN.items()))],
    )
    scope = forms.ChoiceField(label="数据权限", choices=DataScope.choices)
    custom_units = forms.TypedMultipleChoiceField(
        label="自定单位", coerce=int, required=False,
        widget=forms.SelectMultiple(attrs={"data-tom-select": "multi"}),
        help_text="数据权限选择“自定”时，只能看到这里选中的单位的数据。",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["custom_units"].choices = unit_choices()
        if editing:
            self.fields["code"].disabled = True


class GrantForm(StyledFormMixin, forms.Form):
    roles = forms.ModelMultipleChoiceField(
        label="角色", queryset=Role.objects.order_by("id"), required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
