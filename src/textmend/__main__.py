"""``python -m textmend ...``: the same command line as the ``textmend`` script."""

from textmend.cli import main

main()
