"""The one point where every act is recorded (who, when, what, object, before/after, IP, outcome).

Services call `record_event` inside their transaction, so an act and its record commit together.
"""

import json
from collections.abc import Iterable
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from . import request_context
from .bulk import insert_rows
from .crypto import hmac_sm3, keys
from .masking import MASKS
from .models import AuditChainHead, AuditEvent, AuditEventObject

EventType = AuditEvent.EventType
Outcome = AuditEvent.Outcome


def to_json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def snapshot(instance: models.Model, fields: list[str]) -> dict:
    """The named fields of a record as JSON-safe values; foreign keys as their ids."""
    data = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            data[name] = sorted(instance.pk and getattr(instance, name).values_list("pk", flat=True) or [])
        elif field.is_relation:
            data[name] = getattr(instance, field.attname)
        elif getattr(field, "kind", None) in MASKS:
            # Sensitive values enter the audit log masked, never in clear.
            value = getattr(instance, name)
            data[name] = value.masked if hasattr(value, "masked") else MASKS[field.kind](str(value or ""))
        else:
            data[name] = getattr(instance, name)
    return to_json_safe(data)


def object_type_of(obj: models.Model) -> str:
    return obj._meta.label_lower


def record_event(
    event_type: str,
    *,
    actor=None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    action: str = "",
    before: dict | None = None,
    after: dict | None = None,
    outcome: str = Outcome.SUCCESS,
    detail: str = "",
    username: str = "",
) -> AuditEvent:
    ctx = request_context.current()
    authenticated = actor is not None and actor.is_authenticated
    unit = getattr(actor, "unit", None) if authenticated else None
    if obj is not None:
        object_type = object_type or object_type_of(obj)
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    event = AuditEvent(
        actor=actor if authenticated else None,
        actor_username=(actor.get_username() if authenticated else username)[:150],
        unit=unit,
        unit_name=unit.name if unit else "",
        ip=ctx.ip,
        channel=ctx.channel,
        event_type=event_type,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:300],
        action=action,
        outcome=outcome,
        before=to_json_safe(before) if before is not None else None,
        after=to_json_safe(after) if after is not None else None,
        detail=detail,
    )
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        event.seq = head.seq + 1
        event.prev_hash = head.hash
        event.created_at = timezone.now()
        event.hash = chain_hash(event)
        event.save(force_insert=True)
        head.seq, head.hash = event.seq, event.hash
        head.mac = head_mac(head)
        head.save(update_fields=["seq", "hash", "mac"])
    return event


def record_batch_event(event_type: str, *, actor, object_type: str, object_ids: Iterable, object_repr: str = "",
                       action: str = "", after: dict | None = None, detail: str = "") -> AuditEvent:
    """ONE chained event for an act on many records at once (an import), instead of one event per record. The
    event's `after` should name the records (and whatever proves where each came from); each record's
    `history_of` then shows the event through an AuditEventObject row."""
    with transaction.atomic():
        event = record_event(event_type, actor=actor, object_type=object_type, object_repr=object_repr,
                             action=action, after=after, detail=detail)
        insert_rows(AuditEventObject, ({"event_id": event.pk, "object_type": object_type, "object_id": str(object_id)}
                                       for object_id in object_ids))
    return event


def head_mac(head: AuditChainHead) -> str:
    data = f"head|{head.seq}|{head.hash}|{head.anchor_seq}|{head.anchor_hash}".encode("ascii")
    return hmac_sm3(keys().audit, data).hex()


CHAINED_FIELDS = [
    "seq", "actor_id", "actor_username", "unit_id", "unit_name", "ip", "channel", "event_type", "object_type",
    "object_id", "object_repr", "action", "outcome", "before", "after", "detail",
]


def canonical(event: AuditEvent) -> bytes:
    """The event as fixed bytes: sorted keys, UTC time to the microsecond, so any change shows."""
    data = {name: getattr(event, name) for name in CHAINED_FIELDS}
    data["created_at"] = event.created_at.astimezone(UTC).isoformat(timespec="microseconds")
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder).encode()


def chain_hash(event: AuditEvent) -> str:
    return hmac_sm3(keys().audit, event.prev_hash.encode("ascii") + b"|" + canonical(event)).hex()


def verify_chain(expect: tuple[int, str] | None = None, *, use_copies: bool = True) -> tuple[int, str | None]:
    """Recompute the chain. Returns (events checked, None) or (position, why it breaks) for the first bad event.

    The chain alone cannot tell a wiped or rolled-back database from a new one, so the result is also held
    against heads known from outside: `expect` (the head a daily report sent out) and, with `use_copies`,
    the signed head copies under var/ (`save_head_copy`). A chain that has lost its records while users exist
    is refused as well."""
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.mac != head_mac(head):
        return head.seq, "审计链头（最后序号、锚点）被改动：与密钥计算的校验值不符（末尾或开头的记录可能被删除）"
    known: dict[int, tuple[str, str]] = {}  # seq -> (hash, where it was recorded)
    if use_copies:
        copies, problem = read_head_copies()
        if problem:
            return 0, problem
        for copy in copies:
            known[copy["seq"]] = (copy["hash"], f"链头副本（{copy['at'][:19].replace('T', ' ')} 记录）")
    if expect is not None:
        known[expect[0]] = (expect[1], "指定的链头（--expect-head）")
    anchor_seq = head.anchor_seq if head else 0
    expected_seq = anchor_seq + 1
    prev = head.anchor_hash if head else ""
    if anchor_seq in known and known[anchor_seq][0] != prev:
        return anchor_seq, f"第 {anchor_seq} 条记录的哈希与{known[anchor_seq][1]}不符（审计链被替换）"
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq is None or event.seq < expected_seq:
            return event.seq or 0, f"第 {event.seq} 条记录的序号异常（应为 {expected_seq}）"
        if event.seq > expected_seq:
            return expected_seq, f"第 {expected_seq} 条记录缺失（被删除）"
        if event.prev_hash != prev:
            return event.seq, f"第 {event.seq} 条记录的前序哈希不符（记录被删除、插入或调换了顺序）"
        if chain_hash(event) != event.hash:
            return event.seq, f"第 {event.seq} 条记录的内容被篡改（编号 {event.pk}，{event.created_at:%Y-%m-%d %H:%M:%S}）"
        if event.seq in known and known[event.seq][0] != event.hash:
            return event.seq, f"第 {event.seq} 条记录的哈希与{known[event.seq][1]}不符（审计链被替换或回滚）"
        prev, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    if head and (head.seq != expected_seq - 1 or head.hash != prev):
        return expected_seq, f"链尾不符：应有 {head.seq} 条，实际只到第 {expected_seq - 1} 条（末尾记录被删除）"
    last = expected_seq - 1
    if known and max(known) > last:
        seq = max(known)
        return last + 1, (f"审计链被截断或回滚：{known[seq][1]}已到第 {seq} 条，数据库中只到第 {last} 条"
                          f"（第 {last + 1}–{seq} 条记录缺失）")
    if checked == 0 and anchor_seq == 0:
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.count()
        if users:
            return 0, f"审计链为空（0 条记录），但数据库中有 {users} 个用户：审计记录已被清空"
    return checked, None


# A signed copy of the chain head outside the database (R-SAFE-2). Appended by the daily verify task, by
# `audit verify` and by every audit export, so a rollback of the database (or of the head row with it) shows.
HEAD_COPY_FILE = "audit-heads.log"


def head_copy_path():
    from pathlib import Path

    from django.conf import settings

    return Path(settings.VAR_DIR) / HEAD_COPY_FILE


def current_head() -> tuple[int, str]:
    head = AuditChainHead.objects.filter(pk=1).first()
    return (head.seq, head.hash) if head else (0, "")


def head_copy_mac(at: str, seq: int, hash_: str, why: str) -> str:
    return hmac_sm3(keys().audit, f"head-copy|{at}|{seq}|{hash_}|{why}".encode()).hex()


def save_head_copy(why: str) -> tuple[int, str]:
    """Append the current head (seq, hash) with its HMAC to var/audit-heads.log; returns it."""
    import os

    seq, hash_ = current_head()
    at = timezone.now().isoformat(timespec="seconds")
    line = json.dumps({"at": at, "seq": seq, "hash": hash_, "why": why, "mac": head_copy_mac(at, seq, hash_, why)},
                      ensure_ascii=False)
    path = head_copy_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as out:
        out.write(line + "\n")
    return seq, hash_


def parse_expected_head(value: str) -> tuple[int, str]:
    """`SEQ:HASH`, or a file that carries a head: the head copy file (its last line) or an audit log export (CSV,
    its highest 序号 and that row's 哈希). Raises ValueError with a Chinese message."""
    import csv
    import re
    from pathlib import Path

    value = value.strip()
    match = re.fullmatch(r"(\d+):([0-9a-f]{64})", value)
    if match:
        return int(match[1]), match[2]
    path = Path(value)
    if not path.is_file():
        raise ValueError(f"无法识别 --expect-head {value!r}：应为“序号:哈希”（64 位十六进制），或链头文件、审计日志导出文件的路径。")
    text = path.read_text(encoding="utf-8-sig")
    lines = [line for line in text.splitlines() if line.strip()]
    if lines and lines[-1].lstrip().startswith("{"):
        try:
            last = json.loads(lines[-1])
            return int(last["seq"]), str(last["hash"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"链头文件 {path} 的最后一行不是有效的链头记录。") from exc
    rows = [row for row in csv.DictReader(lines) if (row.get("序号") or "").isdigit() and row.get("哈希")]
    if not rows:
        raise ValueError(f"文件 {path} 中没有找到链头：应为链头文件或审计日志导出文件（含“序号”“哈希”两列）。")
    top = max(rows, key=lambda row: int(row["序号"]))
    return int(top["序号"]), top["哈希"]


def read_head_copies() -> tuple[list[dict], str | None]:
    """The head copies in the file (none if it is missing), or a problem when a line was forged or altered."""
    path = head_copy_path()
    if not path.exists():
        return [], None
    copies = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            copy = json.loads(line)
            valid = copy["mac"] == head_copy_mac(copy["at"], int(copy["seq"]), copy["hash"], copy.get("why", ""))
        except (ValueError, KeyError, TypeError):
            valid = False
        if not valid:
            return [], f"链头副本文件 {path} 第 {number} 行与密钥计算的校验值不符（被改动或伪造）"
        copies.append({**copy, "seq": int(copy["seq"])})
    return copies, None


def history_of(obj: models.Model):
    """The audit events about one record, oldest first — the record's timeline. Refused attempts stay in the audit
    log for the auditor but are not part of the record's story (a leader's refused click is not "开始检查")."""
    object_type, object_id = object_type_of(obj), str(obj.pk)
    about = models.Q(object_type=object_type, object_id=object_id)
    batches = list(AuditEventObject.objects.filter(object_type=object_type, object_id=object_id)
                   .values_list("event_id", flat=True))
    if batches:  # an import that registered it among many (`record_batch_event`)
        about |= models.Q(pk__in=batches)
    return AuditEvent.objects.filter(about).exclude(outcome=Outcome.DENIED).order_by("seq")


# Chinese names for the `action` codes the services record, for the audit page.
ACTION_LABELS = {
    "assign_roles": "分配角色", "create_role": "新增角色", "update_role": "修改角色", "enable": "启用账号",
    "disable": "停用账号", "reset_password": "重置密码", "revoke_token": "注销令牌", "add_progress": "填报整改进展",
    "start": "开始整改", "submit": "申请销号", "return": "退回", "sign_off": "销号", "void": "作废",
    "assign": "分办", "report_result": "报告核查结论", "record_follow_up": "登记后续处置", "record_reply": "登记答复",
    "close": "办结销号", "escalate": "提级复核", "withdraw_escalation": "撤销提级复核", "record_review": "提交复核结论", "link_repeat": "认定重复举报",
    "dismiss_repeat": "排除疑似重复", "clue_time_limit": "修改线索办理时限", "conclude": "办结",
    "save_rectification": "保存“一案一整治”记录", "open_problem": "开启整改问题",
    "release_reset": "发放第二半激活码", "activate": "凭激活码激活账号",
    "out_of_scope": "越权访问尝试", "clue_probe": "疑似试探登记线索", "out_of_scope_flood": "越权访问尝试（超频汇总）",
    "unlink_repeat": "取消重复关联", "reporter_name": "举报人身份", "reporter_export": "导出举报人明文",
    "clue_export": "导出线索台账", "clue_import": "导入交办批次", "draw": "随机抽取", "rate": "评价被检查单位",
    "record_finding": "记录发现的问题", "risk_weights": "设置抽查权重", "risk_profile": "设置风险因素",
    "启用": "启用账号", "停用": "停用账号", "重置密码": "重置密码",
    "problem_export": "导出问题整改台账", "rule_export": "导出制度成果台账", "self_inspection_export": "导出自查自纠台账",
    "case_export": "导出案件督办台账", "letter_export": "导出责任书承诺书台账", "inspection_export": "导出督导检查台账",
    "accountability_export": "导出问责台账", "audit_export": "导出审计日志", "audit_archive": "归档审计日志",
    "problems": "导入问题整改台账", "clues": "导入交办批次", "summary_generate": "生成总结文档",
    "send_reminders": "发送定时提醒", "backup": "备份", "rotate_field_key": "轮换字段密钥",
    "otp_enrol": "绑定动态口令", "otp": "动态口令验证",
}

# Where one code means different acts on different records (a report's 报送 is not a problem's 申请销号).
ACTION_LABELS_BY_TYPE = {
    "reporting.submission": {
        "request_approval": "报领导审核", "submit": "报送", "approve": "审核通过并报送", "reject": "退回修改",
        "return": "退回报送", "accept": "接收报送",
    },
}


def action_label(code: str, object_type: str = "") -> str:
    return ACTION_LABELS_BY_TYPE.get(object_type, {}).get(code) or ACTION_LABELS.get(code, code)


def changed_fields(event: AuditEvent) -> list[tuple[str, object, object]]:
    """(field, before, after) for every key that differs — what the auditor needs to see."""
    before, after = event.before or {}, event.after or {}
    keys = list(dict.fromkeys([*before, *after]))
    return [(k, before.get(k, "—"), after.get(k, "—")) for k in keys if before.get(k) != after.get(k)]


# The 审计管理员 reads who did what to which record; the content of business records stays out of their view
# (the 三员 read no business data). Platform records (accounts, roles, units) are shown in full.
PLATFORM_OBJECT_TYPES = {"orgs.user", "orgs.role", "orgs.unit", "orgs.apitoken", ""}


def shows_content(event: AuditEvent) -> bool:
    return event.object_type in PLATFORM_OBJECT_TYPES
