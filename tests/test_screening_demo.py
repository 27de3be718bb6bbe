"""The demo loads a comparison run with hits in every district and a few already reviewed."""

from qicha.core.registry import load_demo_data
from qicha.ledgers.models import LedgerRow
from qicha.screening.models import Hit, HitStatus, Run

from .conftest import DEMO_PASSWORD


def test_the_demo_run_has_hits_per_district_and_reviews(demo):
    load_demo_data(DEMO_PASSWORD)
    run = Run.objects.get()
    assert run.status == "done" and set(run.hits_per_rule) == {"R1", "R2", "R3", "R4", "R5"}
    assert all(run.hits_per_rule.values()) and run.inputs["beneficiaries"]["bad"] == 1
    assert Hit.objects.filter(run=run).values("unit").distinct().count() == 4
    confirmed = Hit.objects.filter(status=HitStatus.CONFIRMED)
    assert confirmed.count() == 2 and Hit.objects.filter(status=HitStatus.REJECTED).count() == 1
    assert LedgerRow.objects.filter(pk__in=confirmed.values("ledger_row")).exists()
    assert confirmed.exclude(clue=None).exists()
