"""The ``vanban`` commands, one module per command."""
