"""Demo 督导员 accounts for `make run`, so that a random inspection has inspectors to draw from (and conflicts to
avoid: two of them work in district bureaus). Created through the services, as the demo administrators."""

from qicha.orgs.demo import add_demo_accounts

DEMO_INSPECTORS = [
    ("inspector_fa", "冯督导", "政策法规科"),
    ("inspector_sw", "陈督导", "社会事务科"),
    ("inspector_cd", "褚督导", "城东区民政局"),
    ("inspector_ns", "卫督导", "南山县民政局"),
]


def load_demo_inspectors(password: str) -> int:
    """Returns how many accounts were created (0 when they exist already)."""
    return add_demo_accounts(password, "inspector", DEMO_INSPECTORS)
