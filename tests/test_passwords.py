"""Password rules: at least 8 characters, 3 of 4 classes, not containing the username; forced change."""

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from qicha.orgs import services
from qicha.orgs.models import User

from .conftest import DEMO_PASSWORD


def test_production_hasher_is_argon2():
    # The module as deployed (the autouse fixture swaps in a fast hasher for the tests).
    from qicha import settings as deployed

    assert deployed.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.parametrize(
    "password, fragment",
    [
        ("Ab1!", "至少包含 8 个字符"),
        ("abcdefgh12", "至少 3 类"),
        ("ABCDEFGH!!", "至少 3 类"),
        ("xZhangSan1!", "不能包含用户名"),
        ("Password1", "太常见"),
    ],
)
def test_weak_passwords_are_refused_with_a_chinese_reason(db, password, fragment):
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as caught:
            password_validation.validate_password(password, User(username="zhangsan"))
        messages = [str(m) for m in caught.value.messages]
    assert any(fragment in m for m in messages), messages


def test_good_password_passes(db):
    password_validation.validate_password("Qc-2026-strong", User(username="zhangsan"))


def test_a_new_account_sets_its_own_password_before_anything(demo, user):
    sysadmin = user("sysadmin")
    created, first = services.create_user(sysadmin, username="newbie", full_name="新同志", unit=sysadmin.unit)
    assert Client().post("/login/", {"username": "newbie", "password": first}).status_code == 200  # refused
    second = services.release_password_reset(user("secadmin"), created.password_resets.get())
    activation = {"username": "newbie", "first_half": first, "second_half": second}
    weak = Client().post("/activate/", activation | {"new_password1": "newbie123", "new_password2": "newbie123"})
    assert "不能包含用户名" in weak.content.decode()
    ok = Client().post("/activate/", activation | {"new_password1": "Qc-Fresh-77", "new_password2": "Qc-Fresh-77"})
    assert ok.status_code == 302
    client = Client()
    assert client.post("/login/", {"username": "newbie", "password": "Qc-Fresh-77"}).status_code == 302
    assert client.get("/").status_code == 200
    assert not User.objects.get(username="newbie").must_change_password


def test_demo_accounts_skip_the_change_only_in_demo_mode(demo, settings):
    client = Client()
    client.post("/login/", {"username": "liaison_chengdong", "password": DEMO_PASSWORD})
    assert client.get("/").status_code == 200
    settings.DEMO_MODE = False
    assert client.get("/")["Location"] == "/password/"


def test_one_time_passwords_meet_the_rules(db):
    from qicha.orgs.services.users import one_time_password

    for _ in range(20):
        password_validation.validate_password(one_time_password(), User(username="someone"))


def test_wrong_current_password_changes_nothing(login, user):
    client = login("office")
    response = client.post("/password/", {"old_password": "nope", "new_password1": "Qc-Fresh-77", "new_password2": "Qc-Fresh-77"})
    assert "当前密码不正确" in response.content.decode()
    assert user("office").check_password(DEMO_PASSWORD)
