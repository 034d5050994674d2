"""The command line: a click root with one module per command group."""
