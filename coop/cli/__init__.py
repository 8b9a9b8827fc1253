"""The ``coop`` command line.

Every failure is one line on stderr and a non-zero exit; a traceback is a bug.
Subcommands live in the modules of this package, one per area.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from coop.application import StoreNotInitialised, StoreUnavailable
from coop.cli import (audit, circles, demo, fairshare, governance, ledger, members, projections,
                      store, tokens, web)
from coop.cli.common import cli
from coop.config import ConfigurationError
from domain.errors import CoopError
from projections.store import ReadModelsUnavailable

# Register each area's commands on the one group.
for module in (store, members, circles, demo, fairshare, web, projections, ledger, governance,
               audit, tokens):
    module.register(cli)

EXIT_REFUSED = 1  # a rule of the network refused the command
EXIT_USAGE = 2  # the command itself was malformed
EXIT_UNAVAILABLE = 3  # the store could not be reached: trying later may work


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``coop`` and return its exit status, printing any error as one line."""
    try:
        result = cli.main(args=list(argv) if argv is not None else None, prog_name="coop",
                          standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as error:
        click.echo(error.ctx.get_help() if error.ctx else str(error))
        return 0
    except click.UsageError as error:
        where = f" (see 'coop {error.ctx.command_path.partition(' ')[2]} --help')".replace(
            "coop  ", "coop ") if error.ctx else ""
        return _fail(f"{error.format_message()}{where}", EXIT_USAGE)
    except click.exceptions.Abort:
        return _fail("interrupted", 130)
    except click.ClickException as error:
        return _fail(error.format_message(), error.exit_code or EXIT_USAGE)
    except (StoreUnavailable, ReadModelsUnavailable, ConfigurationError) as error:
        return _fail(str(error), EXIT_UNAVAILABLE)
    except StoreNotInitialised as error:
        return _fail(str(error), EXIT_REFUSED)
    except CoopError as error:
        return _fail(str(error), EXIT_REFUSED)
    except BrokenPipeError:
        return 0
    return result if isinstance(result, int) else 0


def _fail(message: str, status: int) -> int:
    click.echo(f"coop: error: {message}", err=True)
    return status


def run() -> None:  # pragma: no cover - the console script's entry point
    sys.exit(main())
