"""The audit log: its head, and exports of it with who may download what.

Stewards (and the operator at the command line) may export the whole chain or any
slice of it. Every other member may export the lines that concern them: those they
acted in, those about their own membership, and those of gives, referrals, offers,
asks and delegations they are a party to. Nobody else's, and not the full chain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from uuid import UUID

from coop.audit.canonical import Line
from coop.audit.export import FORMATS, AuditLog, Head, Selection, write
from coop.services.authority import Authority
from domain.errors import InvalidValue, NotAllowed
from projections.projector import Projector

AUDIT = "audit"  # the projection's name


class Export:
    """An export ready to stream: its text comes a page at a time from ``chunks``,
    and ``lines`` counts the lines streamed so far."""

    def __init__(self, head: Head, selection: Selection, fmt: str,
                 pages: Iterable[list[Line]]) -> None:
        self.head, self.selection, self.fmt = head, selection, fmt
        self.lines = 0
        self.chunks: Iterator[str] = write(self._counted(pages), fmt, selection, head)

    def _counted(self, pages: Iterable[list[Line]]) -> Iterator[list[Line]]:
        for page in pages:
            self.lines += len(page)
            yield page

    @property
    def mimetype(self) -> str:
        return FORMATS[self.fmt]

    @property
    def filename(self) -> str:
        what = "my-events" if self.selection.member else self.selection.kind
        return f"coop-audit-{what}-to-{self.head.position}.{self.fmt}"


class Audit:
    def __init__(self, authority: Authority, projector: Projector, log: AuditLog) -> None:
        self.authority, self.projector, self.log = authority, projector, log

    def status(self, *, by: UUID) -> dict[str, object]:
        """Return the chain's head and its number of lines (stewards only)."""
        self.authority.check_steward(by, "see the audit log")
        self.projector.catch_up([AUDIT])
        head = self.log.head()
        return {"position": head.position, "hash": head.hash, "lines": self.log.count(head),
                "held_back": head.position < self.log.newest_position()}

    def export(self, selection: Selection, fmt: str = "jsonl", *, by: UUID,
               progress: Callable[[int, int], None] | None = None) -> Export:
        """Return the selected lines as an export to stream; members export only their own."""
        if fmt not in FORMATS:
            raise InvalidValue(f"'{fmt}' is not an export format (jsonl or csv)")
        self._check_may_export(selection, by)
        self.projector.catch_up([AUDIT])
        head = self.log.head()
        return Export(head, selection, fmt, self.log.pages(selection, head, progress))

    def _check_may_export(self, selection: Selection, by: UUID) -> None:
        """Refuse an export the acting member may not take, or of a member or circle
        that does not exist."""
        if selection.member:
            self.authority.member(selection.member)
        if selection.circle:
            self.authority.circle(selection.circle)
        if not self.authority.is_steward(by) and selection.member != str(by):
            raise NotAllowed("members may download the audit log of their own events only")

    def my_events(self, fmt: str = "jsonl", *, by: UUID) -> Export:
        """Return the export of the lines that concern the acting member."""
        return self.export(Selection(member=str(by)), fmt, by=by)
