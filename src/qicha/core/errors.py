"""Errors services raise; pages show their Chinese message, the API maps them to api.md's error shape."""


class DomainError(Exception):
    code = "error"
    status = 400
    default_message = "操作失败"

    def __init__(self, message: str | None = None, details: dict | None = None):
        self.message = message or self.default_message
        self.details = details or {}
        super().__init__(self.message)


class NotFound(DomainError):
    # A record outside the caller's data scope is reported as absent: its existence is not disclosed.
    code = "not_found"
    status = 404
    default_message = "记录不存在或您无权访问"


class Forbidden(DomainError):
    code = "forbidden"
    status = 403
    default_message = "您没有执行该操作的权限"


class Invalid(DomainError):
    code = "invalid"
    status = 422
    default_message = "提交的内容有误，请检查后重试"


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = "该记录已被他人修改，请刷新页面查看最新内容后再保存"
