"""Start-up checks: the keys must be present and must be the ones the data was written with."""

from django.core.checks import Error, Info, register

from .crypto import KeyError_, keys


@register()
def keys_are_present(app_configs, **kwargs):
    try:
        keys()
    except KeyError_ as exc:
        return [Error(str(exc), hint="密钥文件须与数据库一起备份；见 docs/operations.md。", id="qicha.E001")]
    return []


def keys_match_data() -> str | None:
    """None when the keys fit the stored data, else a Chinese explanation. Needs the database."""
    from .audit import chain_hash
    from .models import AuditEvent

    last = AuditEvent.objects.exclude(hash="").order_by("-seq").first()
    if last is not None and chain_hash(last) != last.hash:
        return "审计密钥与数据库中的审计链不符：可能用错了密钥文件，或最后一条审计记录被篡改（请运行 python -m qicha audit verify）。"
    from .sensitive import first_encrypted_value_error

    return first_encrypted_value_error()


@register(deploy=True)
def tls_gateway_declared(app_configs, **kwargs):
    from django.conf import settings

    if getattr(settings, "BEHIND_TLS_GATEWAY", False):
        return [Info(
            "QICHA_BEHIND_TLS_GATEWAY=1：HSTS 与 http→https 跳转由 TLS 网关负责，本应用不发送 HSTS、不做跳转（Cookie 仍为 Secure）。",
            hint="请确认网关对本站发送 Strict-Transport-Security 并把 http 跳转到 https；见 docs/security.md。",
            id="qicha.I001")]
    return []
