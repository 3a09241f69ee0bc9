"""`python -m tracker` runs the `debt` command."""

from .cli import main

main()
