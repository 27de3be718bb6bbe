"""Commercial cryptography (商用密码) for the application layer: SM3 and HMAC-SM3 for integrity, SM4-GCM for
sensitive fields, a keyed SM3 blind index for exact lookup. The algorithms come from `cryptography` (OpenSSL);
keys live outside the database, in QICHA_KEY_FILE (default var/keys.json) or QICHA_KEYS (the same JSON).

Production deployments that must use a certified crypto module (密码模块) replace this file's four primitives.
"""

import base64
import json
import os
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_NAMES = ("audit", "field", "index")  # HMAC-SM3 audit chain, SM4 field encryption, SM3 blind index


class KeyError_(ImproperlyConfigured):
    pass


@dataclass(frozen=True)
class KeyRing:
    audit: bytes
    field: bytes  # the current SM4 key; `old_fields` still decrypt during a rotation
    index: bytes
    old_fields: tuple[bytes, ...] = ()
    source: str = ""

    @property
    def field_id(self) -> str:
        return key_id(self.field)


def key_id(key: bytes) -> str:
    """A short public fingerprint of a key (stored beside ciphertext so rotation knows what to re-encrypt)."""
    return sm3(b"qicha-key-id" + key).hex()[:8]


def generate_keys() -> dict:
    return {
        "audit": secrets.token_bytes(32).hex(),
        "field": secrets.token_bytes(16).hex(),
        "index": secrets.token_bytes(32).hex(),
        "old_fields": [],
    }


def key_file() -> Path:
    return Path(os.environ.get("QICHA_KEY_FILE") or settings.VAR_DIR / "keys.json")


def _parse(raw: dict, source: str) -> KeyRing:
    try:
        ring = KeyRing(
            audit=bytes.fromhex(raw["audit"]),
            field=bytes.fromhex(raw["field"]),
            index=bytes.fromhex(raw["index"]),
            old_fields=tuple(bytes.fromhex(k) for k in raw.get("old_fields", [])),
            source=source,
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise KeyError_(f"密钥配置 {source} 格式不正确：需要 audit、field、index 三个十六进制密钥。") from exc
    if len(ring.field) != 16 or len(ring.audit) < 16 or len(ring.index) < 16:
        raise KeyError_(f"密钥配置 {source} 长度不正确：field 须为 16 字节（SM4），audit、index 至少 16 字节。")
    return ring


@cache
def keys() -> KeyRing:
    """The key ring. A new installation gets a generated key file (0600); after that a missing file is an error."""
    inline = os.environ.get("QICHA_KEYS")
    if inline:
        return _parse(json.loads(inline), "环境变量 QICHA_KEYS")
    path = key_file()
    if not path.exists():
        if getattr(settings, "KEYS_MUST_EXIST", False):
            raise KeyError_(f"找不到密钥文件 {path}。数据库中已有加密数据或审计链，请从备份恢复密钥文件，或用 QICHA_KEY_FILE 指向它。")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(generate_keys(), indent=2), encoding="utf-8")
        path.chmod(0o600)
    return _parse(json.loads(path.read_text(encoding="utf-8")), f"密钥文件 {path}")


def reset_key_cache() -> None:
    keys.cache_clear()


def sm3(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def hmac_sm3(key: bytes, data: bytes) -> bytes:
    mac = crypto_hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize()


def sm4_gcm_encrypt(key: bytes, plaintext: bytes, associated: bytes = b"") -> bytes:
    nonce = secrets.token_bytes(12)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(associated)
    body = encryptor.update(plaintext) + encryptor.finalize()
    return nonce + body + encryptor.tag


def sm4_gcm_decrypt(key: bytes, blob: bytes, associated: bytes = b"") -> bytes:
    nonce, body, tag = blob[:12], blob[12:-16], blob[-16:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(associated)
    return decryptor.update(body) + decryptor.finalize()


def encrypt_bytes(value: bytes, purpose: str) -> str:
    """`<key id>:<base64(nonce|ciphertext|tag)>` — the purpose is bound in as associated data."""
    ring = keys()
    blob = sm4_gcm_encrypt(ring.field, value, purpose.encode("utf-8"))
    return f"{ring.field_id}:{base64.b64encode(blob).decode('ascii')}"


def decrypt_bytes(stored: str, purpose: str) -> bytes:
    ring = keys()
    kid, _, payload = stored.partition(":")
    candidates = [k for k in (ring.field, *ring.old_fields) if key_id(k) == kid]
    if not candidates:
        raise KeyError_(f"无法解密：没有编号为 {kid} 的 SM4 密钥（密钥文件是否正确？）")
    try:
        return sm4_gcm_decrypt(candidates[0], base64.b64decode(payload), purpose.encode("utf-8"))
    except (InvalidTag, ValueError) as exc:
        raise KeyError_("解密失败：密文被篡改或密钥不正确。") from exc


def encrypt_text(value: str, purpose: str) -> str:
    return encrypt_bytes(value.encode("utf-8"), purpose)


def decrypt_text(stored: str, purpose: str) -> str:
    return decrypt_bytes(stored, purpose).decode("utf-8")


def is_current_ciphertext(stored: str) -> bool:
    return stored.startswith(f"{keys().field_id}:")


def blind_index(value: str, purpose: str) -> str:
    """Keyed SM3 of the normalised value: equal values match, the value itself cannot be read back."""
    return hmac_sm3(keys().index, f"{purpose}\x1f{value}".encode()).hex()

