"""Clue intake at scale: registering one clue against N earlier ones (repeat detection included), the clue list's
first page and the 清仓见底 board (median / p95 ms). Uses a separate database under var/bench/ (or
QICHA_BENCH_DATABASE_URL)."""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from problem_ledger import PASSWORD, configure  # noqa: E402

WORDS = ["低保", "殡葬", "村委会", "社区", "优亲厚友", "冒领", "强买强卖", "垄断", "摊派", "收受好处费", "虚报", "截留",
         "墓穴", "骨灰盒", "协会", "会费", "养老", "补贴", "恐吓", "换届", "拉票", "宗族", "承包", "集体土地"]
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
# Regions at village depth (some at township depth), so that name keys spread as in a city: 4 × 6 × 12 places.
TOWNS = ["新华街道", "红旗街道", "东风街道", "青山镇", "柳河镇", "白石乡"]
VILLAGES = ["幸福村", "和平村", "石桥村", "桃园村", "前进社区", "光明社区", "杨家庄村", "枫林村", "荷花村", "马家沟村",
            "大王庄村", "向阳社区"]


def generate(count: int) -> None:
    """Bulk-insert `count` clues with their match keys (test data: skips the services and the audit trail, like
    bench/problem_ledger.py), so that intake is then measured against a realistic history."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from stdnum.cn import ric

    from qicha.campaigns.models import Campaign
    from qicha.clues import similarity
    from qicha.clues.models import Clue, ClueSubject, MatchKey
    from qicha.clues.services.repeats import KEY_KINDS, _digested
    from qicha.clues.services.time_limits import due_date_for
    from qicha.core.registry import PROBLEMS, load_demo_data
    from qicha.orgs.models import Unit, User

    call_command("flush", interactive=False, verbosity=0) if connection.introspection.table_names() else None
    call_command("migrate", verbosity=0)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo_data(PASSWORD, through=PROBLEMS)
    campaign, office = Campaign.objects.get(), User.objects.get(username="office")
    districts = list(Unit.objects.filter(kind="district_bureau"))
    rng = random.Random(7)
    today = timezone.localdate()
    started = time.perf_counter()
    clues, keys, persons = [], [], []
    for i in range(count):
        body = (f"1101{rng.randint(1, 9):02d}19{rng.randint(50, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
                f"{rng.randint(0, 999):03d}")
        person = similarity.Person(rng.choice(SURNAMES) + rng.choice(SURNAMES) + rng.choice("伟强明华军芳"),
                                   body + ric.calc_check_digit(body + "0"))
        content = "反映" + "，".join(rng.sample(WORDS, 6)) + f"等问题，涉及金额{rng.randint(1, 90)}万元。"
        unit = rng.choice(districts)
        source = rng.choice(["central_group", "public_report", "proactive"])
        received = today - timedelta(days=rng.randint(0, 200))
        region = unit.name[:3] + rng.choice(TOWNS) + (rng.choice(VILLAGES) if rng.random() < 0.8 else "")
        if rng.random() < 0.05:
            region = ""  # intake allows an empty 涉及地区: a note giving no place (looked up by every named clue)
        match = _digested(similarity.match_keys(similarity.ClueFacts(content, region, (person,))))
        clues.append(Clue(campaign=campaign, source=source, reference_no=f"B-{i}", received_date=received,
                          content=content, domain=rng.choice(["subsistence", "funeral", "social_org", "grassroots"]),
                          region=region, unit=unit, due_date=due_date_for(source, received),
                          status=rng.choice(["assigned", "verifying", "verified", "closed"]), created_by=office,
                          match_shingles=" ".join(sorted(match.shingles))))
        keys.append(match)
        persons.append(person)
    Clue.objects.bulk_create(clues, batch_size=2000)
    # The subjects too, so that `--rebuild` recomputes the same keys from them as intake did.
    ClueSubject.objects.bulk_create(
        (ClueSubject(clue=clue, kind="person", name=person.name, id_number=person.id_number)
         for clue, person in zip(clues, persons, strict=True)), batch_size=2000)
    MatchKey.objects.bulk_create(
        (MatchKey(clue=clue, kind=kind, digest=d) for clue, match in zip(clues, keys, strict=True)
         for kind in KEY_KINDS for d in getattr(match, kind)), batch_size=5000)
    if connection.vendor == "postgresql":
        # Plans for the fresh rows need statistics, as autovacuum would gather soon after such a load.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"generated {Clue.objects.count()} clues in {time.perf_counter() - started:.1f} s")


def timed(label: str, fn, runs: int) -> None:
    # Wall time, and this process's CPU time beside it: on a shared, loaded machine the wall time is mostly waiting
    # for a core (the load average is printed so that the two can be read together).
    samples, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    print(f"{label:<44} median {statistics.median(samples):7.1f} ms   p95 {p95:7.1f} ms   "
          f"CPU median {statistics.median(cpu):6.1f} ms   ({runs} runs, load {os.getloadavg()[0]:.1f})")


def measure(runs: int, intake_only: bool = False, rebuild: bool = False) -> None:
    from django.conf import settings
    from django.db import transaction
    from django.test import Client
    from django.utils import timezone

    from qicha.campaigns.models import Campaign
    from qicha.clues.models import Clue
    from qicha.clues.services import register_clue
    from qicha.orgs.models import User

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as generated
    campaign, office = Campaign.objects.get(), User.objects.get(username="office")
    print(f"{Clue.objects.count()} clues in the database")
    if not runs:
        return  # --runs 0: generate only, so that the next run is the first on the data (each run adds clues)

    def intake(person=None, region="城东区新华街道幸福村"):
        # Committed, as a server's intake is: the content pool the process keeps (clues/services/content_pool.py)
        # then slides on by one clue at each intake. A rolled-back intake would leave it unkept and read 5,000 rows
        # every time, which no server does. Each run adds one clue (the first run also reads the pool in full).
        with transaction.atomic():
            register_clue(office, campaign=campaign, source="public_report", received_date=timezone.localdate(),
                          content="举报某村村委会主任优亲厚友，为亲属违规办理低保，并收受好处费，涉及金额5万元。",
                          domain="subsistence", region=region,
                          subjects=[person or {"kind": "person", "name": "张国强", "id_number": "110105198001011238"}])

    timed("intake one clue (with repeat detection)", intake, runs)
    # Most reports name no identity number: then near names (sound, one character, surname) are looked at too.
    timed("  the person without identity number", lambda: intake({"kind": "person", "name": "张国强"}), runs)
    timed("  the person by surname and post (张主任)", lambda: intake({"kind": "person", "name": "张主任"}), runs)
    # A report giving no place meets the person wherever earlier reports put them (names_anywhere of every clue).
    timed("  giving no place (张国强, no region)", lambda: intake({"kind": "person", "name": "张国强"}, ""), runs)
    if rebuild:
        from qicha.clues.models import MatchKey
        from qicha.clues.services import rebuild_match_keys

        # As a release before issue 20 left them: no content bigrams stored, none of the near-name key kinds.
        Clue.objects.update(match_shingles="")
        MatchKey.objects.filter(kind__in=("name_sounds", "name_masks", "surnames", "org_cores")).delete()
        for run in ("first", "second"):  # the second finds every key current (what a rerun costs)
            start, start_cpu = time.perf_counter(), time.process_time()
            counts = rebuild_match_keys()
            wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
            print(f"rebuild_clue_match_keys ({run} run){'':<19} {wall:7.1f} s wall   {cpu:6.1f} s CPU   "
                  f"{counts['clues'] / wall:,.0f} clues/s   changed {counts['changed']}   "
                  f"(load {os.getloadavg()[0]:.1f})")
    if intake_only or rebuild:
        return
    client = Client()
    assert client.post("/login/", {"username": "office", "password": PASSWORD}).status_code == 302
    timed("clue list, first page (office)", lambda: client.get("/clues/"), runs)
    timed("清仓见底 board (office)", lambda: client.get("/clues/board/"), runs)
    # A report about the bench's person: its page lists candidates and the same subject's other clues (the same
    # full name at the village, and every 张 given by surname only there: queries.same_subject).
    latest = Clue.objects.filter(region="城东区新华街道幸福村").latest("pk").pk
    timed("clue page with its repeats (office)", lambda: client.get(f"/clues/{latest}/"), runs)
    liaison = Client()
    assert liaison.post("/login/", {"username": "liaison_chengdong", "password": PASSWORD}).status_code == 302
    timed("clue list, first page (district liaison)", lambda: liaison.get("/clues/"), runs)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--generate", type=int, metavar="N", help="first build N clues (e.g. 20000)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--intake-only", action="store_true", help="measure registering a clue only")
    parser.add_argument("--rebuild", action="store_true",
                        help="after one intake, time rebuild_clue_match_keys over every clue (twice)")
    args = parser.parse_args()
    print("database:", configure())
    if args.generate:
        generate(args.generate)
    measure(args.runs, intake_only=args.intake_only, rebuild=args.rebuild)
