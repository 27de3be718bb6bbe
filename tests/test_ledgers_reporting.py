"""The monthly report's snapshot holds the unit's ledger rows (masked) and its SM3 digest covers them."""

from qicha.reporting.models import Submission
from qicha.reporting.snapshot import digest_of

from .ledger_helpers import add_row
from .test_reporting import CHENGXI, period_of, periods, submitted, u  # noqa: F401  (periods is a fixture)


def test_snapshot_and_digest_cover_the_units_ledger_rows(demo, periods, unit):  # noqa: F811
    row = add_row(u("liaison_chengxi"), "dibao", unit("城西区民政局社会救助股"))
    add_row(u("liaison_chengdong"), "dibao", unit("城东区民政局"), head_name="城东的户主")
    submission = submitted(period_of(demo, 12))
    ledger = submission.snapshot["ledgers"]["dibao"]
    assert ledger["name"] == "农村低保专项治理台账"
    assert [r["id"] for r in ledger["rows"]] == [row.pk]
    values = ledger["rows"][0]["values"]
    assert values["户主姓名"] == "张三" and values["户主身份证号"] == "110105********002X"
    assert values["处理措施"] == "停保、追回资金" and values["追回金额（元）"] == "3,600.00"
    assert submission.digest == digest_of(submission.snapshot)
    # Tampering with a frozen ledger row breaks the digest.
    tampered = Submission.objects.get(pk=submission.pk)
    tampered.snapshot["ledgers"]["dibao"]["rows"][0]["values"]["户主姓名"] = "李四"
    assert digest_of(tampered.snapshot) != submission.digest
