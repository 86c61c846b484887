"""The ``epkg`` command line: a thin shell over the modules of this package."""

from __future__ import annotations

import argparse
import importlib
import sys

from . import __version__
from .commands import COMMANDS
from .errors import EpkgError


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """All subcommands, or only ``only`` (one command's module: the others' imports, the
    service's above all, cost a second that ``epkg author check`` should not pay)."""
    parser = argparse.ArgumentParser(
        prog="epkg",
        description="The Danish employment-policy knowledge graph: load, check, query and serve it.",
    )
    parser.add_argument("--version", action="version", version=f"epkg {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS if only is None else (only,):
        importlib.import_module(f".commands.{name}", __package__).add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    named = argv[0].replace("-", "_") if argv else None
    parser = build_parser(named if named in COMMANDS and "_" not in argv[0] else None)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except EpkgError as exc:  # mapped once: user errors exit 2, project and store errors exit 1
        print(f"epkg {args.command}: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # e.g. `epkg dump | head`
        return 0
    except OSError as exc:  # a file the user named cannot be written or read
        print(
            f"epkg {args.command}: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr
        )
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
