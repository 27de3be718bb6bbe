"""R-SAFE-1/2: the audit log is an HMAC-SM3 chain; `audit verify` names the first altered, removed or reordered event."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from qicha.core.audit import verify_chain
from qicha.core.crypto import hmac_sm3, sm3, sm4_gcm_decrypt, sm4_gcm_encrypt
from qicha.core.models import AuditEvent


def verify() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_sm3_known_answers():
    # GB/T 32905-2016 appendix A
    assert sm3(b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert sm3(b"abcd" * 16).hex() == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


def test_sm4_known_answer_and_gcm_round_trip():
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key = bytes.fromhex("0123456789abcdeffedcba9876543210")  # GB/T 32907-2016 example 1
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    assert (encryptor.update(key) + encryptor.finalize()).hex() == "681edf34d206965e86b3e94f536e4246"
    blob = sm4_gcm_encrypt(key, b"110105199003070021", b"id_number")
    assert b"110105" not in blob
    assert sm4_gcm_decrypt(key, blob, b"id_number") == b"110105199003070021"


def test_hmac_sm3_depends_on_the_key():
    assert hmac_sm3(b"k" * 32, b"x") != hmac_sm3(b"j" * 32, b"x")


def test_intact_chain_verifies(demo):
    assert "审计链完整" in verify()
    count = AuditEvent.objects.count()
    assert verify_chain() == (count, None)
    first, second = AuditEvent.objects.order_by("seq")[:2]
    assert second.prev_hash == first.hash and len(first.hash) == 64


def test_altered_event_is_named(demo):
    target = AuditEvent.objects.order_by("seq")[10]
    raw("UPDATE core_auditevent SET detail = %s WHERE id = %s", ["改过的说明", target.pk])
    with pytest.raises(CommandError) as caught:
        verify()
    assert f"第 {target.seq} 条记录的内容被篡改" in str(caught.value)


def test_altered_before_after_is_named(demo):
    target = AuditEvent.objects.filter(after__isnull=False).order_by("seq")[5]
    raw("UPDATE core_auditevent SET after = %s WHERE id = %s", ['{"name": "伪造"}', target.pk])
    assert verify_chain()[0] == target.seq


def test_deleted_event_is_named(demo):
    target = AuditEvent.objects.order_by("seq")[7]
    raw("DELETE FROM core_auditevent WHERE id = %s", [target.pk])
    position, problem = verify_chain()
    assert position == target.seq and "缺失" in problem


def test_deleted_last_event_is_noticed(demo):
    last = AuditEvent.objects.order_by("-seq").first()
    raw("DELETE FROM core_auditevent WHERE id = %s", [last.pk])
    position, problem = verify_chain()
    assert position == last.seq and "末尾" in problem


def test_swapped_events_are_named(demo):
    a, b = AuditEvent.objects.order_by("seq")[3:5]
    raw("UPDATE core_auditevent SET seq = NULL WHERE id = %s", [a.pk])
    raw("UPDATE core_auditevent SET seq = %s WHERE id = %s", [a.seq, b.pk])
    raw("UPDATE core_auditevent SET seq = %s WHERE id = %s", [b.seq, a.pk])
    position, problem = verify_chain()
    assert position == a.seq and "前序哈希不符" in problem


def test_archive_and_purge_keep_the_chain_verifiable(demo, tmp_path, settings):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    total = AuditEvent.objects.count()
    with time_machine.travel(timezone.now() + timedelta(days=200)):
        out = StringIO()
        call_command("audit", "archive", "--output", str(tmp_path / "old.jsonl"), "--purge", stdout=out)
        assert f'"archived": {total}' in out.getvalue()
        assert (tmp_path / "old.jsonl").read_text(encoding="utf-8").count("\n") == total
        assert "审计链完整" in verify()


def test_purging_inside_retention_is_refused(demo, tmp_path):
    from datetime import date

    with pytest.raises(CommandError, match="保存期"):
        call_command("audit", "archive", "--output", str(tmp_path / "x.jsonl"), "--purge", "--before", date.today().isoformat())


def test_rewinding_the_head_after_deleting_the_tail_is_noticed(demo):
    events = list(AuditEvent.objects.order_by("-seq")[:3])
    new_last = events[-1]
    raw("DELETE FROM core_auditevent WHERE seq > %s", [new_last.seq])
    raw("UPDATE core_auditchainhead SET seq = %s, hash = %s", [new_last.seq, new_last.hash])
    position, problem = verify_chain()
    assert "审计链头" in problem


def test_moving_the_anchor_after_deleting_the_start_is_noticed(demo):
    tenth = AuditEvent.objects.order_by("seq")[9]
    raw("DELETE FROM core_auditevent WHERE seq <= %s", [tenth.seq])
    raw("UPDATE core_auditchainhead SET anchor_seq = %s, anchor_hash = %s", [tenth.seq, tenth.hash])
    assert "审计链头" in verify_chain()[1]


def test_purge_refuses_a_broken_chain(demo, tmp_path):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    target = AuditEvent.objects.order_by("seq")[3]
    raw("UPDATE core_auditevent SET detail = %s WHERE id = %s", ["改过", target.pk])
    with time_machine.travel(timezone.now() + timedelta(days=200)), pytest.raises(CommandError, match="拒绝清理"):
        call_command("audit", "archive", "--output", str(tmp_path / "a.jsonl"), "--purge", stdout=StringIO())
    assert AuditEvent.objects.filter(pk=target.pk).exists()


# R-SAFE-2: the chain is held against heads known from outside the database (issue 13, finding 4).


def head_row():
    with connection.cursor() as cursor:
        cursor.execute("SELECT seq, hash, anchor_seq, anchor_hash, mac FROM core_auditchainhead WHERE id = 1")
        return cursor.fetchone()


def roll_back_to(saved):
    """What an attacker with database access does: drop the newer events and put the older (validly signed) head
    row back."""
    seq, hash_, anchor_seq, anchor_hash, mac = saved
    raw("DELETE FROM core_auditevent WHERE seq > %s", [seq])
    raw("UPDATE core_auditchainhead SET seq = %s, hash = %s, anchor_seq = %s, anchor_hash = %s, mac = %s WHERE id = 1",
        [seq, hash_, anchor_seq, anchor_hash, mac])


def add_events(count=3):
    from qicha.core.audit import EventType, record_event

    for n in range(count):
        record_event(EventType.SETTING_CHANGE, action="test", detail=f"后来的操作 {n}")


def test_a_wiped_chain_is_refused_when_users_exist(demo):
    raw("DELETE FROM core_auditevent")
    raw("DELETE FROM core_auditchainhead")
    with pytest.raises(CommandError) as caught:
        verify()
    assert "审计链为空（0 条记录），但数据库中有" in str(caught.value)


def test_an_empty_chain_without_users_is_a_new_installation(db):
    from qicha.core.audit import head_mac
    from qicha.core.models import AuditChainHead

    head = AuditChainHead.objects.get()  # signed by the migration with this installation's key, as `migrate` does
    head.mac = head_mac(head)
    head.save()
    assert verify_chain() == (0, None)


def test_verify_prints_the_head_and_keeps_a_signed_copy(demo, settings):
    out = verify()
    last = AuditEvent.objects.order_by("-seq").first()
    assert f"链头：{last.seq}:{last.hash}" in out
    copy = (settings.VAR_DIR / "audit-heads.log").read_text(encoding="utf-8")
    assert f'"seq": {last.seq}' in copy and last.hash in copy
    assert "审计链完整" in verify()  # the copy agrees with an untouched chain


def test_a_rolled_back_head_is_caught_by_the_head_copy(demo):
    saved = head_row()
    add_events()
    verify()  # the daily run: appends the newer head to var/audit-heads.log
    roll_back_to(saved)
    assert verify_chain(use_copies=False) == (AuditEvent.objects.count(), None)  # the chain alone looks fine
    with pytest.raises(CommandError) as caught:
        verify()
    assert "审计链被截断或回滚" in str(caught.value) and f"数据库中只到第 {saved[0]} 条" in str(caught.value)


def test_a_wiped_chain_is_caught_by_the_head_copy(demo):
    verify()
    raw("DELETE FROM core_auditevent")
    raw("DELETE FROM core_auditchainhead")
    with pytest.raises(CommandError, match="审计链被截断或回滚"):
        verify()


def test_a_rollback_with_the_copy_deleted_is_caught_by_the_head_sent_out(demo, settings):
    saved = head_row()
    add_events()
    out = verify()
    sent_out = out.split("链头：", 1)[1].split("（", 1)[0]
    roll_back_to(saved)
    (settings.VAR_DIR / "audit-heads.log").unlink()
    with pytest.raises(CommandError, match="审计链被截断或回滚"):
        call_command("audit", "verify", "--expect-head", sent_out, stdout=StringIO())


def test_a_truncated_tail_is_caught_by_the_exported_audit_log(demo, login, tmp_path, settings):
    client = login("auditor")
    response = client.get("/audit/export/")
    exported = tmp_path / "audit.csv"
    exported.write_bytes(b"".join(response.streaming_content))
    saved = head_row()
    add_events()
    call_command("audit", "verify", "--expect-head", str(exported), stdout=StringIO())  # intact: passes
    roll_back_to(saved)
    raw("DELETE FROM core_auditevent WHERE seq > %s", [saved[0] - 2])  # and two of the exported ones
    (settings.VAR_DIR / "audit-heads.log").unlink()
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--expect-head", str(exported), stdout=StringIO())


def test_a_different_chain_under_the_same_seq_is_caught(demo):
    verify()
    last = AuditEvent.objects.order_by("-seq").first()
    expect = f"{last.seq}:{'0' * 64}"
    with pytest.raises(CommandError, match=f"第 {last.seq} 条记录的哈希与指定的链头"):
        call_command("audit", "verify", "--expect-head", expect, stdout=StringIO())


def test_a_forged_head_copy_is_refused(demo, settings):
    verify()
    path = settings.VAR_DIR / "audit-heads.log"
    path.write_text(path.read_text(encoding="utf-8").replace('"seq": ', '"seq": 1', 1), encoding="utf-8")
    with pytest.raises(CommandError, match="链头副本文件.*第 1 行"):
        verify()


def test_an_unreadable_expected_head_is_explained(demo):
    with pytest.raises(CommandError, match="无法识别 --expect-head"):
        call_command("audit", "verify", "--expect-head", "12:abc", stdout=StringIO())


def test_the_daily_task_keeps_the_head_copy(demo, settings):
    from qicha.core.tasks import daily_audit_verify

    daily_audit_verify.call_local()
    last = AuditEvent.objects.order_by("-seq").first()
    line = (settings.VAR_DIR / "audit-heads.log").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert '"why": "daily"' in line and f'"seq": {last.seq}' in line and last.hash in line


def test_the_daily_task_does_not_vouch_for_a_broken_chain(demo, settings):
    from qicha.core.tasks import daily_audit_verify

    target = AuditEvent.objects.order_by("seq")[3]
    raw("UPDATE core_auditevent SET detail = %s WHERE id = %s", ["改过", target.pk])
    daily_audit_verify.call_local()
    assert not (settings.VAR_DIR / "audit-heads.log").exists()
