"""``coop audit export|verify|head``: the hash-chained audit log (see docs/audit.md)."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any
from uuid import UUID

import click

from coop.audit.export import (
    FULL, RANGE, SLICE, Bound, Selection, check_action, parse_bound,
)
from coop.audit.verify import read, verify
from coop.cli.common import network, resolve_member
from coop.services.authority import OPERATOR
from domain.errors import InvalidValue


def register(cli: click.Group) -> None:
    cli.add_command(audit)


def _checked(parse: Callable[[str], Any]) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """Return a click callback parsing an option's value(s), a bad one a usage error."""
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        try:
            if isinstance(value, tuple):
                return tuple(parse(v) for v in value)
            return None if value is None else parse(value)
        except InvalidValue as error:
            raise click.BadParameter(str(error)) from None

    return callback


@click.group()
def audit() -> None:
    """Export the hash-chained audit log, and verify an export."""


@audit.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (default: standard output).")
@click.option("--since", metavar="TIME|POSITION", callback=_checked(parse_bound),
              help="From this log position, or the first line at or after this time.")
@click.option("--until", metavar="TIME|POSITION", callback=_checked(parse_bound),
              help="Up to, not including, this log position or time.")
@click.option("--action", "actions", multiple=True, metavar="ACTION",
              callback=_checked(check_action),
              help="Only this action, e.g. give.recorded (repeatable).")
@click.option("--circle", metavar="ID", help="Only lines of this circle.")
@click.option("--member", metavar="EMAIL|ID",
              help="Only lines this member acted in or is a party to.")
def export(fmt: str, output: Path | None, since: Bound | None, until: Bound | None,
           actions: tuple[str, ...], circle: str | None, member: str | None) -> None:
    """Stream the audit log, or a slice of it, as JSON Lines or CSV."""
    with network() as net:
        selection = Selection(
            since=since, until=until, actions=tuple(sorted(set(actions))),
            circle=_circle_id(circle) if circle else None,
            member=str(resolve_member(net, member)) if member else None,
        )
        with _progress() as update, _destination(output) as out:
            made = net.audit.export(selection, fmt, by=OPERATOR, progress=update)
            for chunk in made.chunks:
                out.write(chunk.encode("utf-8"))
    where = f" to {output}" if output else ""
    click.echo(f"Exported {made.lines} lines ({selection.kind}){where}; the chain's head is "
               f"{made.head.hash} at position {made.head.position}.", err=True)


@audit.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--head", metavar="HASH",
              help="The head hash you trust (e.g. from the steward's audit page): "
                   "catches a cut-off tail.")
@click.option("--kind", type=click.Choice([FULL, RANGE, SLICE]),
              help="Check the file as this kind of export (default: what its header "
                   "says; a CSV file: full).")
def verify_command(file: Path, head: str | None, kind: str | None) -> None:
    """Recompute the hash chain of an export FILE (JSON Lines or CSV)."""
    report = verify(read(file), kind=kind, head=head.strip().lower() if head else None)
    click.echo(report.summary())


@audit.command("head")
def head() -> None:
    """Show the chain's head: the hash to verify full exports against."""
    with network() as net:
        status = net.audit.status(by=OPERATOR)
    click.echo(f"head {status['hash']} at position {status['position']} "
               f"({status['lines']} lines)")


def _circle_id(text: str) -> str:
    try:
        return str(UUID(text.strip()))
    except ValueError:
        raise click.BadParameter(f"'{text}' is not a circle id", param_hint="--circle") from None


@contextmanager
def _destination(output: Path | None) -> Iterator[IO[bytes]]:
    """Yield where to write (UTF-8, whatever the locale): stdout, or a file that
    appears only once complete."""
    if output is None:
        yield click.get_binary_stream("stdout")
        return
    try:
        fd, draft = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent or ".")
    except OSError as error:
        raise click.FileError(str(output), hint=error.strerror) from None
    try:
        with os.fdopen(fd, "wb") as file:
            yield file
        os.replace(draft, output)
    except BaseException:
        os.unlink(draft)
        raise


@contextmanager
def _progress() -> Iterator[Callable[[int, int], None]]:
    """Yield a progress callback: a bar on a terminal's stderr, silence otherwise."""
    if not sys.stderr.isatty():
        yield lambda position, head: None
        return
    with click.progressbar(length=1, label="Exporting", file=sys.stderr) as bar:
        def update(position: int, head: int) -> None:
            bar.length = max(head, 1)
            bar.update(min(position, bar.length) - bar.pos)

        yield update
