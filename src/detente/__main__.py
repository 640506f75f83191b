"""``python -m detente`` runs the command line."""

from detente.cli.app import main

main()
