"""The roles every installation starts with (R-ORG-3). Created after migrate when missing.

The 安全管理员 may change their scopes and permissions later; re-running migrate only adds
permissions a newer release introduced, never takes any away.
"""

from .models import DataScope, Role

READ_CAMPAIGN = ["campaign.view", "selfinspection.view", "coverage.view"]

BUILTIN_ROLES = [
    {
        "code": "office",
        "name": "扫黑办工作人员",
        "description": "专项行动办公室：查看、审核范围内全部事项，负责销号",
        "scope": DataScope.ALL,
        "permissions": [*READ_CAMPAIGN, "campaign.manage", "dashboard.view", "problem.view", "problem.create",
                        "problem.review", "problem.sign_off", "problem.void", "rule.manage",
                        "clue.view", "clue.create", "clue.assign", "clue.review", "clue.rereview", "clue.reveal",
                        "clue.settings", "case.view", "case.manage", "case.work", "supervision.view", "letter.manage",
                        "inspection.manage", "inspection.work", "accountability.manage",
                        "report.view", "report.review", "summary.edit",
                        "summary.view", "summary.review",
                        "ledger.view", "ledger.edit", "ledger.define", "vetting.view", "vetting.manage",
                        "screening.view", "screening.run", "screening.review"],
    },
    {
        "code": "liaison",
        "name": "联络员",
        "description": "录入并报送本单位（含下属科室、单位）的数据",
        "scope": DataScope.SUBTREE,
        "permissions": [*READ_CAMPAIGN, "selfinspection.edit", "problem.view", "problem.create", "problem.work",
                        "rule.manage", "clue.view", "clue.create", "clue.work", "case.view", "case.work",
                        "supervision.view", "report.view", "report.prepare", "ledger.view", "ledger.edit",
                        "summary.view", "summary.submit", "screening.view", "screening.review"],
    },
    {
        "code": "handler",
        "name": "承办人",
        "description": "办理分配给本人的事项",
        "scope": DataScope.SELF,
        "permissions": ["campaign.view", "problem.view", "problem.work", "clue.view", "clue.work"],
    },
    {
        "code": "unit_leader",
        "name": "单位领导",
        "description": "审核本单位报送的材料",
        "scope": DataScope.SUBTREE,
        "permissions": [*READ_CAMPAIGN, "dashboard.view", "problem.view", "clue.view", "case.view",
                        "supervision.view", "report.view", "report.approve", "ledger.view", "summary.view", "screening.view"],
    },
    {
        "code": "bureau_leader",
        "name": "局领导",
        "description": "查看全局工作情况与统计看板",
        "scope": DataScope.ALL,
        "permissions": [*READ_CAMPAIGN, "dashboard.view", "problem.view", "clue.view", "case.view", "supervision.view",
                        "report.view", "ledger.view", "vetting.view", "summary.view", "screening.view"],
    },
    {
        "code": "inspector",
        "name": "督导员",
        "description": "开展督导检查；只在检查实施期间查看本人参加的检查所涉被检查单位的情况",
        "scope": DataScope.INSPECTION,
        "permissions": [*READ_CAMPAIGN, "problem.view", "problem.create", "supervision.view", "inspection.work"],
    },
    {
        # Which rounds a department account sees is decided by the rounds it answers for (vetting.RoundDepartment),
        # not by the unit scope: it holds nothing else, so the rest of the platform stays closed to it.
        "code": "vetting_department",
        "name": "联审部门",
        "description": "村“两委”换届候选人联审部门（组织、纪检监察、公安、检察、法院等）：只答复所参加联审批次的候选人意见",
        "scope": DataScope.UNIT,
        "permissions": ["vetting.answer"],
    },
    {
        "code": "sysadmin",
        "name": "系统管理员",
        "description": "等保三员之一：管理单位与用户账号，不授予权限，不查看业务数据",
        "scope": DataScope.UNIT,
        "permissions": ["org.manage_units", "org.manage_users"],
    },
    {
        "code": "secadmin",
        "name": "安全管理员",
        "description": "等保三员之一：管理角色、数据权限与安全设置，不查看业务数据",
        "scope": DataScope.UNIT,
        "permissions": ["security.manage_roles", "security.assign_roles"],
    },
    {
        "code": "auditor",
        "name": "审计管理员",
        "description": "等保三员之一：查阅、导出审计日志（含其他管理员的操作），不查看业务数据",
        "scope": DataScope.UNIT,
        "permissions": ["audit.view", "audit.export"],
    },
]


def ensure_builtin_roles() -> None:
    for spec in BUILTIN_ROLES:
        role, created = Role.objects.get_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "description": spec["description"],
                "scope": spec["scope"],
                "permissions": spec["permissions"],
                "is_builtin": True,
            },
        )
        if not created:
            missing = [p for p in spec["permissions"] if p not in role.permissions]
            if missing:
                role.permissions = [*role.permissions, *missing]
                role.save(update_fields=["permissions"])
