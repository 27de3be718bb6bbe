"""API authentication: bearer tokens from /auth/token, or the browser session (with CSRF)."""

from ninja.security import HttpBearer, SessionAuth

from qicha.core.errors import Forbidden
from qicha.orgs.security import must_change_password, needs_second_factor
from qicha.orgs.services.accounts import user_for_token


class PasswordChangeRequired(Forbidden):
    code = "password_change_required"
    default_message = "首次登录须先在页面上修改初始密码，之后才能使用接口。"


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is None:
            return None
        if must_change_password(user):
            raise PasswordChangeRequired()
        request.user = user
        return user


class Session(SessionAuth):
    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None and needs_second_factor(user) and not user.is_verified():
            return None  # half signed-in: the page asks for the second factor first
        if user is not None and must_change_password(user):
            raise PasswordChangeRequired()
        return user


AUTH = [BearerToken(), Session()]
