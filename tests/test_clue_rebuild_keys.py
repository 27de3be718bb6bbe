"""Issue 20 follow-up: clues registered before the matcher changed are found again once their keys are rebuilt."""

from io import StringIO

from django.core.management import call_command

from qicha.clues.models import Clue, MatchKey, RepeatCandidate
from qicha.clues.services import rebuild_match_keys
from qicha.core.crypto import blind_index
from qicha.core.models import AuditEvent

from .clue_helpers import PERSON_ID, intake

FIRST_REPORT = ("群众反映城东区幸福村村委会主任张国强利用职务便利，2024年起将其弟弟一家四口违规纳入低保，"
                "家中有两套房和一辆小轿车，每月领取低保金2400元。")
REWORDED = "有人举报幸福村主任张国强优亲厚友，他弟弟一家有两套房还开小轿车，却从2024年开始吃低保，每个月拿2400元。"
NAMED = [{"kind": "person", "name": "村主任张国强", "id_number": ""}]


def make_stale(clue: Clue) -> None:
    """The clue as a release before today's matcher left it: the name with the two-level region as its only key,
    and no content bigrams (the column came with migration 0002, empty for clues registered before)."""
    MatchKey.objects.filter(clue=clue).delete()
    MatchKey.objects.create(clue=clue, kind="name_regions",
                            digest=blind_index("张国强|新华街道/幸福村", "clue_name_regions"))
    Clue.objects.filter(pk=clue.pk).update(match_shingles="")


def key_state() -> tuple:
    return (sorted(MatchKey.objects.values_list("clue_id", "kind", "digest")),
            sorted(Clue.objects.values_list("pk", "match_shingles", "version")))


def test_stale_clue_is_found_again_after_the_rebuild(demo):
    old = intake(demo, content=FIRST_REPORT, subjects=NAMED)
    make_stale(old)
    before = intake(demo, source="public_report", content=REWORDED, subjects=NAMED)
    assert not RepeatCandidate.objects.filter(clue=before, earlier=old).exists()  # stale keys: the repeat is missed

    counts = rebuild_match_keys()
    assert counts["changed"] == 1 and counts["keys_removed"] == 1 and counts["keys_added"] > 1
    assert counts["shingles_updated"] == 1 and counts["clues"] == Clue.objects.count()

    after = intake(demo, source="public_report", content=REWORDED, subjects=NAMED)
    candidate = RepeatCandidate.objects.get(clue=after, earlier=old)
    labels = "、".join(r["label"] for r in candidate.reasons)
    assert "同名" in labels and "内容相似" in labels


def test_stale_identity_number_links_again_after_the_rebuild(demo):
    old = intake(demo, content="举报张国强冒领低保金", subjects=[{"kind": "person", "name": "张国强",
                                                                  "id_number": PERSON_ID}])
    MatchKey.objects.filter(clue=old).delete()  # keys lost (e.g. a release that stored none for this clue)
    rebuild_match_keys(batch_size=1)
    again = intake(demo, source="public_report", content="又有人反映此人违规领取补贴",
                   subjects=[{"kind": "person", "name": "张国强", "id_number": PERSON_ID}])
    assert again.repeat_of_id == old.pk


def test_running_twice_changes_nothing_and_each_run_is_audited_once(demo):
    stale = intake(demo, content=FIRST_REPORT, subjects=NAMED)
    intake(demo, source="public_report", content="幸福村公墓管理混乱，有人违规修建超标墓穴并收取高额费用。",
           domain="funeral", subjects=[{"kind": "person", "name": "李建国", "id_number": PERSON_ID}])
    make_stale(stale)
    first_out, second_out = StringIO(), StringIO()

    call_command("rebuild_clue_match_keys", "--batch-size", "1", stdout=first_out)
    rebuilt = key_state()
    call_command("rebuild_clue_match_keys", stdout=second_out)

    assert key_state() == rebuilt  # no key, bigram or version changed by the second run
    assert f"已处理线索 {Clue.objects.count()} 条" in first_out.getvalue()
    assert "重建完成：线索" in first_out.getvalue() and "索引有变化的线索 1 条" in first_out.getvalue()
    assert "索引有变化的线索 0 条" in second_out.getvalue() and "新增比对键 0 条" in second_out.getvalue()

    events = list(AuditEvent.objects.filter(action="rebuild_match_keys").order_by("seq"))
    assert len(events) == 2
    assert events[0].after["changed"] == 1 and events[1].after == {
        "clues": Clue.objects.count(), "changed": 0, "keys_added": 0, "keys_removed": 0, "shingles_updated": 0}
    assert events[0].actor_username == "system" and "重复举报比对索引" in events[0].object_repr
    for event in events:  # counts only: no name or number in the record
        text = f"{event.detail}{event.after}{event.object_repr}"
        assert "张国强" not in text and "李建国" not in text and PERSON_ID not in text


def test_a_corrected_clue_keeps_its_identity_number_key(demo, user):
    """Correcting the content recomputes the keys the way a rebuild does, the identity number decrypted to be
    digested again: a later report naming the same number still links at once."""
    from qicha.clues.services import update_clue

    first = intake(demo, subjects=[{"kind": "person", "name": "张国强", "id_number": PERSON_ID}])
    before = set(MatchKey.objects.filter(clue=first, kind="id_numbers").values_list("digest", flat=True))
    update_clue(user("office"), first, version=first.version, content=FIRST_REPORT)
    assert set(MatchKey.objects.filter(clue=first, kind="id_numbers").values_list("digest", flat=True)) == before
    assert Clue.objects.get(pk=first.pk).match_shingles != ""
    later = intake(demo, content="同一人再次被举报", subjects=[{"kind": "person", "name": "张国强", "id_number": PERSON_ID}])
    assert later.repeat_of_id == first.pk


def test_the_rebuild_adds_the_place_free_surname_sound(demo):
    region = "城东区新华街道幸福村"
    old = intake(demo, region=region, subjects=[{"kind": "person", "name": "肖主任", "id_number": ""}],
                 content="幸福村的低保名单有问题，村干部把自己家亲戚都报上了低保，真正困难的老人却评不上，请上级来查一查。")
    sounds = set(MatchKey.objects.filter(clue=old, kind="surname_sounds").values_list("digest", flat=True))
    assert sounds == {blind_index("xiao", "clue_surname_sounds")}  # no place in it, and digested
    MatchKey.objects.filter(clue=old, kind="surname_sounds").delete()  # as registered before surname sounds
    assert rebuild_match_keys()["keys_added"] == 1
    assert set(MatchKey.objects.filter(clue=old, kind="surname_sounds").values_list("digest", flat=True)) == sounds
