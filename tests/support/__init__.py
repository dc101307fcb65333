"""The tests' shared kit: helpers, the test model server, the kill drivers, a terminal.

Test modules import from here (``from support.tui_helpers import settle``): the ``tests``
folder is on ``sys.path`` through ``pythonpath`` in pyproject.toml. Nothing here is a test,
and no test module imports another test module (tests/architecture/test_test_imports.py).
"""
