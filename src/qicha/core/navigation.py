"""The sidebar: sections and who sees them."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from .scope import has_permission

# Entries whose visibility an app decides beyond permissions (core imports no app): url name → (user → bool).
CONDITIONS: dict[str, Callable] = {}


def register_condition(url_name: str, shown: Callable) -> None:
    CONDITIONS[url_name] = shown


@dataclass(frozen=True)
class NavItem:
    title: str
    url_name: str
    icon: str
    permissions: tuple = ()  # any of; empty = every signed-in user
    kwargs: tuple = ()
    matches: tuple = ()  # extra path patterns (regex) that belong to this entry

    def visible_to(self, user) -> bool:
        if self.permissions and not any(has_permission(user, p) for p in self.permissions):
            return False
        shown = CONDITIONS.get(self.url_name)
        return shown is None or shown(user)

    @property
    def url(self) -> str:
        return reverse(self.url_name, kwargs=dict(self.kwargs))


SECTIONS = [
    ("", [NavItem("工作台", "home", "ti-layout-dashboard"),
          NavItem("统计看板", "cockpit:dashboard", "ti-chart-bar", ("dashboard.view",)),
          NavItem("消息通知", "notify:inbox", "ti-bell"),
          NavItem("我的后台任务", "jobs:list", "ti-progress")]),
    (
        "专项行动",
        [
            NavItem("行动与查摆事项", "campaigns:list", "ti-flag", ("campaign.view",)),
            NavItem("自查填报", "campaigns:self_inspection_home", "ti-checklist", ("selfinspection.view",),
                    matches=(r"^/campaigns/\d+/self-inspection/",)),
            NavItem("查摆覆盖情况", "campaigns:coverage_home", "ti-table", ("coverage.view",),
                    matches=(r"^/campaigns/\d+/coverage/",)),
        ],
    ),
    (
        "整改与督办",
        [
            NavItem("问题整改", "problems:list", "ti-alert-triangle", ("problem.view",)),
            NavItem("线索核查", "clues:list", "ti-search", ("clue.view",)),
            NavItem("案件督办", "cases:list", "ti-briefcase", ("case.view",)),
            NavItem("督导检查", "supervision:home", "ti-eye-check", ("supervision.view",)),
            NavItem("专项治理台账", "ledgers:home", "ti-notebook", ("ledger.view",)),
            NavItem("村“两委”联审", "vetting:home", "ti-users-group", ("vetting.view", "vetting.answer")),
            NavItem("数据比对", "screening:hits", "ti-arrows-diff", ("screening.view",), matches=(r"^/screening/",)),
            NavItem("月度报送", "reporting:home", "ti-calendar-stats", ("report.view",)),
            NavItem("总结文档", "documents:home", "ti-file-text", ("summary.edit",)),
            NavItem("单位总结报送", "documents:unit_home", "ti-files", ("summary.view",)),
        ],
    ),
    (
        "系统管理",
        [
            NavItem("单位管理", "orgs:units", "ti-building", ("org.manage_units",)),
            NavItem("用户管理", "orgs:users", "ti-users", ("org.manage_users",)),
            NavItem("角色与数据权限", "orgs:roles", "ti-shield-lock", ("security.manage_roles",)),
            NavItem("用户授权", "orgs:grants", "ti-user-check", ("security.assign_roles",)),
            NavItem("密码重置发放", "orgs:password_resets", "ti-key", ("security.assign_roles",)),
            NavItem("审计日志", "audit", "ti-history", ("audit.view",)),
        ],
    ),
    ("帮助", [NavItem("操作手册", "help", "ti-book-2", matches=(r"^/help/",)),
            NavItem("开发接口", "api-1.0.0:openapi-view", "ti-api")]),
]


def sections_for(user, current_path: str) -> list[dict]:
    result = []
    for heading, items in SECTIONS:
        visible = [
            {"title": i.title, "url": i.url, "icon": i.icon, "matches": i.matches} for i in items if i.visible_to(user)
        ]
        if visible:
            result.append({"heading": heading, "items": visible})
    # Highlight the one entry whose address is the longest prefix of the current page.
    def strength(item) -> int:
        if any(re.match(pattern, current_path) for pattern in item["matches"]):
            return 1000
        if current_path == item["url"] or (item["url"] != "/" and current_path.startswith(item["url"])):
            return len(item["url"])
        return 0

    ranked = [(strength(item), item) for section in result for item in section["items"]]
    best = max((score for score, _ in ranked), default=0)
    active = next((item for score, item in ranked if best and score == best), None)
    for section in result:
        for item in section["items"]:
            item["active"] = item is active
    return result
