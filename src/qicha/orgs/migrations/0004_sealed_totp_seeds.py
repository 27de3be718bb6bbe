"""TOTP seeds sealed at rest: the existing hex seeds in otp_totp_totpdevice.key become SM4-GCM ciphertext."""

from binascii import hexlify, unhexlify

from django.db import migrations

PURPOSE = "totp_seed"  # as SealedTOTPDevice.PURPOSE


def seal_existing_seeds(apps, schema_editor):
    from qicha.core.crypto import encrypt_bytes

    device_model = apps.get_model("otp_totp", "TOTPDevice")
    for device in device_model.objects.exclude(key__contains=":"):
        device_model.objects.filter(pk=device.pk).update(key=encrypt_bytes(unhexlify(device.key.encode()), PURPOSE))


def unseal_seeds(apps, schema_editor):
    from qicha.core.crypto import decrypt_bytes

    device_model = apps.get_model("otp_totp", "TOTPDevice")
    for device in device_model.objects.filter(key__contains=":"):
        device_model.objects.filter(pk=device.pk).update(key=hexlify(decrypt_bytes(device.key, PURPOSE)).decode())


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0003_sensitive_phone'),
        ('otp_totp', '0003_add_timestamps'),
    ]

    operations = [
        migrations.CreateModel(
            name='SealedTOTPDevice',
            fields=[
            ],
            options={
                'verbose_name': '动态口令设备',
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('otp_totp.totpdevice',),
        ),
        migrations.RunPython(seal_existing_seeds, unseal_seeds),
    ]
