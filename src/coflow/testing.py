"""pytest fixtures for plugin authors (registered as a pytest plugin through `pytest11`).

Kept import-light: loading this module must not slow any pytest run that never uses it.
"""

from __future__ import annotations
