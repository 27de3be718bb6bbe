"""Demo 督导员 accounts for `make run`, so that a random inspection has inspectors to draw from (and conflicts to
avoid: two of them work in district bureaus). Created through the services, as the demo administrators."""

from qicha.orgs import services
from qicha.orgs.models import Role, Unit, User

DEMO_INSPECTORS = [
    ("inspector_fa", "冯督导", "政策法规科"),
    ("inspector_sw", "陈督导", "社会事务科"),
    ("inspector_cd", "褚督导", "城东区民政局"),
    ("inspector_ns", "卫督导", "南山县民政局"),
]


def load_demo_inspectors(password: str) -> int:
    """Returns how many accounts were created (0 when they exist already)."""
    sysadmin, secadmin = User.objects.get(username="sysadmin"), User.objects.get(username="secadmin")
    role = Role.objects.get(code="inspector")
    created = 0
    for username, full_name, unit_name in DEMO_INSPECTORS:
        if User.objects.filter(username=username).exists():
            continue
        user, _ = services.create_user(sysadmin, username=username, full_name=full_name,
                                       unit=Unit.objects.get(name=unit_name))
        user = User.objects.get(pk=user.pk)
        services.assign_roles(secadmin, user, [role], version=user.version)
        User.objects.filter(pk=user.pk).update(is_demo=True)
        user.refresh_from_db()
        user.set_password(password)
        user.save(update_fields=["password"])
        created += 1
    return created
