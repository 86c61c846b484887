"""One module per ``epkg`` subcommand. Each defines ``add_parser(subparsers)``, which
registers the subcommand and sets ``func`` to a callable taking the parsed arguments
and returning the exit code. ``COMMANDS`` lists them in the order ``--help`` shows."""

COMMANDS = ("serve", "query", "info", "check_quotes", "validate", "dump", "export", "load", "author")
