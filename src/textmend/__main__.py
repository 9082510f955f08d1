"""``python -m textmend ...``: the same command line as the ``textmend`` script."""

from textmend.cli import main

if __name__ == "__main__":  # importing the package's modules (tests walk them) runs nothing
    main()
