"""Every read of letters and the checks on them, scope applied here: the list, the signing board, one letter, its scan."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from qicha.campaigns.models import Campaign
from qicha.core.errors import NotFound
from qicha.core.scope import scope_filter, units_in_scope
from qicha.orgs.models import Unit

from ..models import EXPECTED_SIGNERS, Accountability, CommitmentCheck, Letter, LetterKind

SIGNED_FILTERS = {"signed": "已签订", "unsigned": "未签订"}


def visible_letters(user, permission: str = "supervision.view"):
    """Letters of the units in the user's scope."""
    return Letter.objects.filter(scope_filter(user, permission, unit_field="unit"))


def letter_list(user, campaign: Campaign | None = None, kind: str = ""):
    letters = visible_letters(user).select_related("unit", "scan").prefetch_related("checks").order_by("kind", "unit__path")
    if campaign is not None:
        letters = letters.filter(campaign=campaign)
    if kind:
        letters = letters.filter(kind=kind)
    return letters


def expected_signers(user, campaign: Campaign, kind: str, permission: str = "supervision.view"):
    """The participating units (in the user's scope) that must sign `kind`, in tree order."""
    return (
        units_in_scope(user, permission)
        .filter(campaigns=campaign, kind__in=EXPECTED_SIGNERS[LetterKind(kind)])
        .order_by("path")
    )


@dataclass
class BoardRow:
    unit: Unit
    letter: Letter | None

    @property
    def signed(self) -> bool:
        return self.letter is not None

    @property
    def checks(self) -> list:
        return list(self.letter.checks.all()) if self.letter else []  # prefetched, in date order


@dataclass
class KindBoard:
    """One kind of letter: each expected signer with its letter or none (未签订)."""

    kind: str
    label: str
    rows: list[BoardRow] = field(default_factory=list)  # after the signed/unsigned filter
    expected: int = 0
    signed: int = 0

    @property
    def unsigned(self) -> int:
        return self.expected - self.signed

    @property
    def rate(self) -> int | None:
        return round(self.signed * 100 / self.expected) if self.expected else None

    @property
    def unsigned_units(self) -> list[Unit]:
        return [r.unit for r in self.rows if not r.signed]


def signing_board(user, campaign: Campaign, status: str = "") -> list[KindBoard]:
    """签订情况: for each kind, who of the expected signers in scope has signed and who has not (未签订).

    `status` ("signed" / "unsigned") narrows the rows; the counts are always over every expected signer.
    """
    boards = []
    for kind, label in LetterKind.choices:
        units = list(expected_signers(user, campaign, kind))
        letters = {
            letter.unit_id: letter
            for letter in letter_list(user, campaign, kind).filter(unit__in=[u.pk for u in units])
        }
        rows = [BoardRow(unit=u, letter=letters.get(u.pk)) for u in units]
        board = KindBoard(kind=kind, label=label, expected=len(rows), signed=sum(r.signed for r in rows))
        board.rows = [r for r in rows if not status or r.signed == (status == "signed")]
        boards.append(board)
    return boards


def get_letter(user, letter_id) -> Letter:
    """One letter in the user's scope, with its checks (each with its problem and accountability records)."""
    letter = (
        visible_letters(user)
        .select_related("unit", "campaign", "scan", "created_by")
        .prefetch_related(
            Prefetch("checks", queryset=CommitmentCheck.objects.select_related("problem", "created_by").prefetch_related(
                Prefetch("accountabilities", queryset=Accountability.objects.order_by("id")))),
        )
        .filter(pk=letter_id)
        .first()
    )
    if letter is None:
        raise NotFound()
    return letter


def get_scan(user, letter_id):
    """The scanned letter, downloadable only by someone who can see the letter."""
    letter = get_letter(user, letter_id)
    if letter.scan is None:
        raise NotFound("该记录没有上传扫描件")
    return letter.scan
