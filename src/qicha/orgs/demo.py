"""Demo data for `make run`: a city bureau, its departments and units, four district bureaus, and one
account per role. Everything is written through the services, acting as the demo administrators.
Loading twice changes nothing.
"""


from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qicha.core.demo_clock import acting_on, story_day
from qicha.core.errors import Invalid

from . import services
from .models import PasswordReset, Role, Unit, UnitKind, User
from .services.bootstrap import bootstrap_admin

CITY = "市民政局"
DEPARTMENTS = ["办公室", "社会组织管理科", "社会救助科", "社会事务科", "基层政权建设科", "政策法规科"]
SUBORDINATES = ["市殡仪馆", "市救助管理站", "市社会福利院", "市社会组织服务中心", "市居民家庭经济状况核对中心"]
DISTRICTS = [("chengdong", "城东区民政局"), ("chengxi", "城西区民政局"), ("nanshan", "南山县民政局"), ("beihu", "北湖县民政局")]
# 行政区划代码 of the demo city and its districts (data comparison routes cases by them).
CITY_REGION = "410300"
REGION_CODES = {"chengdong": "410302", "chengxi": "410303", "nanshan": "410322", "beihu": "410323"}
DISTRICT_DEPARTMENTS = ["办公室", "社会救助股", "基层政权股"]

# username, full name, unit name, role code, description for the README and the console.
DEMO_USERS = [
    ("office", "王扫黑", "局扫黑办", "office", "扫黑办工作人员：全部数据，审核、销号"),
    ("leader", "李局长", CITY, "bureau_leader", "局领导：全部数据，只读与看板"),
    ("liaison_city", "赵联络", "社会救助科", "liaison", "局机关科室联络员"),
    *[(f"liaison_{code}", f"{name[:2]}联络员", name, "liaison", f"{name}联络员：本局及下属科室") for code, name in DISTRICTS],
    ("handler", "钱承办", "城东区民政局社会救助股", "handler", "承办人：仅本人承办的事项"),
    ("sysadmin", "孙系统", "办公室", "sysadmin", "系统管理员：单位与用户，不看业务数据"),
    ("secadmin", "周安全", "办公室", "secadmin", "安全管理员：角色与数据权限，不看业务数据"),
    ("auditor", "吴审计", "办公室", "auditor", "审计管理员：审计日志，不看业务数据"),
]


def _check_password(password: str) -> None:
    for username, *_ in DEMO_USERS:
        try:
            password_validation.validate_password(password, User(username=username))
        except ValidationError as exc:
            raise Invalid(f"演示密码不符合密码规则（账号 {username}）：{' '.join(exc.messages)}") from exc


@transaction.atomic
def load_demo(password: str) -> bool:
    """Create the demo organisation and accounts. Returns False when they already exist."""
    _check_password(password)
    if User.objects.filter(username="sysadmin", is_demo=True).exists():
        _set_passwords(password)
        return False
    # The organisation was set up some weeks before the campaign started (core.demo_clock).
    with acting_on(story_day(0, days=-20)):
        _load_organisation(password)
    return True


def _load_organisation(password: str) -> None:
    sysadmin, _ = bootstrap_admin(username="sysadmin", role_code="sysadmin", full_name="孙系统", root_unit_name=CITY)
    secadmin, _ = bootstrap_admin(username="secadmin", role_code="secadmin", full_name="周安全")
    units = _build_tree(sysadmin)
    sysadmin.unit = secadmin.unit = units["办公室"]
    User.objects.filter(pk__in=[sysadmin.pk, secadmin.pk]).update(unit=units["办公室"])
    roles = {r.code: r for r in Role.objects.all()}
    for username, full_name, unit_name, role_code, _ in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user, _ = services.create_user(sysadmin, username=username, full_name=full_name, unit=units[unit_name])
            user = User.objects.get(pk=user.pk)
            services.assign_roles(secadmin, user, [roles[role_code]], version=user.version)
    User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).update(is_demo=True)
    _set_passwords(password)


def add_demo_accounts(password: str, role_code: str, accounts: list[tuple[str, str, str]]) -> int:
    """Extra demo accounts (username, name, unit name) holding one role, created through the services as the demo
    administrators; returns how many were created (0 when they exist already)."""
    sysadmin, secadmin = User.objects.get(username="sysadmin"), User.objects.get(username="secadmin")
    role = Role.objects.get(code=role_code)
    created = 0
    for username, full_name, unit_name in accounts:
        if User.objects.filter(username=username).exists():
            continue
        with acting_on(story_day(0, days=-18)):  # set up with the others, before the campaign started
            user, _ = services.create_user(sysadmin, username=username, full_name=full_name,
                                           unit=Unit.objects.get(name=unit_name))
            user = User.objects.get(pk=user.pk)
            services.assign_roles(secadmin, user, [role], version=user.version)
        User.objects.filter(pk=user.pk).update(is_demo=True)
        created += 1
    _set_passwords(password)
    return created


def _set_passwords(password: str) -> None:
    for user in User.objects.filter(is_demo=True):
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
    # Demo accounts share the printed demo password: their activations are not waiting for anyone.
    PasswordReset.objects.filter(user__is_demo=True, status__in=[PasswordReset.Status.PENDING,
                                                                 PasswordReset.Status.RELEASED]).update(
        status=PasswordReset.Status.CANCELLED, finished_at=timezone.now())


def _build_tree(actor) -> dict[str, Unit]:
    root = Unit.objects.get_root_nodes().first()
    root = services.update_unit(actor, root, version=root.version, region_code=CITY_REGION)
    units = {CITY: root}
    units["局党组"] = services.create_unit(actor, parent=root, name="局党组", kind=UnitKind.PARTY_GROUP)
    units["局扫黑办"] = services.create_unit(actor, parent=root, name="局扫黑办", kind=UnitKind.CAMPAIGN_OFFICE,
                                           short_name="扫黑办")
    for name in DEPARTMENTS:
        units[name] = services.create_unit(actor, parent=_fresh(root), name=name, kind=UnitKind.DEPARTMENT)
    for name in SUBORDINATES:
        units[name] = services.create_unit(actor, parent=_fresh(root), name=name, kind=UnitKind.SUBORDINATE)
    for code, name in DISTRICTS:
        district = services.create_unit(actor, parent=_fresh(root), name=name, kind=UnitKind.DISTRICT_BUREAU, code=code,
                                        region_code=REGION_CODES[code])
        units[name] = district
        for dept in DISTRICT_DEPARTMENTS:
            full = f"{name}{dept}"
            units[full] = services.create_unit(actor, parent=_fresh(district), name=full, short_name=dept,
                                               kind=UnitKind.DISTRICT_DEPARTMENT)
    return units


def demo_units() -> dict[str, Unit]:
    """The demo units by name, for the later demo steps (every demo unit's name is unique)."""
    return {unit.name: unit for unit in Unit.objects.all()}


def _fresh(unit: Unit) -> Unit:
    # treebeard keeps child counters on the parent row; re-read it before each add_child.
    return Unit.objects.get(pk=unit.pk)


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
