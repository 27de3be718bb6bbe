"""R-SAFE-2/3: sensitive values are SM4 ciphertext with a blind index, masked by default; ID numbers validated."""

import pytest
from django.db import connection

from qicha.core import idnumbers
from qicha.core.errors import Invalid, NotFound
from qicha.core.masking import mask_id_number, mask_name, mask_phone
from qicha.core.models import AuditEvent
from qicha.core.scope import has_permission
from qicha.core.sensitive import Sealed, lookup, reveal_sensitive
from qicha.orgs import services
from qicha.orgs.models import User


@pytest.fixture
def with_phone(demo, user):
    sysadmin = user("sysadmin")
    created, _ = services.create_user(sysadmin, username="zhangsan", full_name="张三", unit=sysadmin.unit,
                                      phone="13912340000")
    return User.objects.get(pk=created.pk)


def test_column_holds_no_plaintext_and_index_finds_it(with_phone):
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, phone_index FROM orgs_user WHERE username = %s", ["zhangsan"])
        stored, index = cursor.fetchone()
    assert "13912340000" not in stored and ":" in stored
    assert len(index) == 64 and "1391234" not in index
    assert User.objects.get(phone_index=lookup("phone", "13912340000")).username == "zhangsan"
    assert not User.objects.filter(phone_index=lookup("phone", "13912340001")).exists()


def test_value_reads_masked_by_default(with_phone):
    assert isinstance(with_phone.phone, Sealed)
    assert str(with_phone.phone) == "139****0000"


def test_audit_keeps_the_masked_value(with_phone):
    event = AuditEvent.objects.get(event_type="create", object_type="orgs.user", object_id=str(with_phone.pk))
    assert event.after["phone"] == "139****0000"
    assert "13912340000" not in str(event.before) + str(event.after)


def test_users_page_shows_the_mask(login, with_phone):
    html = login("sysadmin").get(f"/admin/users/{with_phone.pk}/").content.decode()
    assert "139****0000" in html and "13912340000" not in html


def test_reveal_needs_permission_and_reason_and_is_audited(with_phone, user):
    def can(actor, permission, obj):
        return has_permission(actor, permission)

    with pytest.raises(NotFound):
        reveal_sensitive(user("liaison_chengdong"), with_phone, "phone", permission="org.manage_users", reason="x", can_act=can)
    with pytest.raises(Invalid):
        reveal_sensitive(user("sysadmin"), with_phone, "phone", permission="org.manage_users", reason=" ", can_act=can)
    clear = reveal_sensitive(user("sysadmin"), with_phone, "phone", permission="org.manage_users", reason="核实联系方式", can_act=can)
    assert clear == "13912340000"
    events = AuditEvent.objects.filter(event_type="reveal", object_id=str(with_phone.pk))
    assert {(e.actor_username, e.outcome) for e in events} == {("liaison_chengdong", "denied"), ("sysadmin", "success")}


def test_key_rotation_re_encrypts(with_phone, settings, tmp_path, monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM orgs_user WHERE username = 'zhangsan'")
        before = cursor.fetchone()[0]
    call_command("rotate_keys", "--drop-old", stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM orgs_user WHERE username = 'zhangsan'")
        after = cursor.fetchone()[0]
    assert before.split(":")[0] != after.split(":")[0]
    assert User.objects.get(username="zhangsan").phone.clear() == "13912340000"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("11010519491231002X", "11010519491231002X"),
        ("11010519491231002x", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
        (" 110105 19491231 002X ", "11010519491231002X"),
        ("110105491231002", "11010519491231002X"),
    ],
)
def test_identity_numbers_are_normalised(raw, expected):
    assert idnumbers.validate(raw) == expected


@pytest.mark.parametrize(
    "raw, message",
    [
        ("110105194912310021", "校验码错误：最后一位应为 X"),
        ("110105194913310029", "出生日期 19491331 不是真实日期"),
        ("1101051949", "应为 18 位（或 15 位旧号码），实际 10 位"),
        ("11010519491231002A", "只能由数字组成"),
    ],
)
def test_bad_identity_numbers_are_explained(raw, message):
    with pytest.raises(Invalid) as caught:
        idnumbers.validate(raw)
    assert message in caught.value.message


def test_masks():
    assert mask_name("张三") == "张*" and mask_name("欧阳小明") == "欧***"
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_phone("13900000000") == "139****0000"


def test_changing_the_phone_updates_the_blind_index(with_phone, user):
    services.update_user(user("sysadmin"), with_phone, version=with_phone.version, phone="13800001111")
    assert User.objects.get(phone_index=lookup("phone", "13800001111")).username == "zhangsan"
    assert not User.objects.filter(phone_index=lookup("phone", "13912340000")).exists()


def test_landline_mask_hides_most_digits():
    assert mask_phone("62345678") == "******78"


def test_numbers_with_county_codes_newer_than_the_birth_year_are_accepted():
    from stdnum.cn import ric


    # 130102 (石家庄长安区) is unknown to stdnum's list for a 1970 birth, yet such numbers were issued and are valid.
    body = "13010219700312004"
    number = body + ric.calc_check_digit(body + "0")
    assert idnumbers.validate(number) == number


def test_unknown_province_is_named():
    from stdnum.cn import ric


    body = "99010219700312004"
    with pytest.raises(Invalid) as error:
        idnumbers.validate(body + ric.calc_check_digit(body + "0"))
    assert error.value.message == "身份证号前两位“99”不是省级行政区划代码"
