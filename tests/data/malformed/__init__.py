"""A corpus of malformed inputs, each with the finding code it must produce.

Every case starts from a small clean table (:func:`base_frame`: 120 weekly rows, 3 channels of
which one has an exposure column, 1 control and 1 categorical event, all cells as strings, the way
CSV files are read) and breaks one thing. ``CASES`` is importable by other tests (the CLI's
exit-code tests use it): ``from tests.data.malformed import CASES``.

Row numbers in ``rows`` are 1-based data rows (row 1 is the first row below the header).
"""

from tests.data.malformed.builders import (
    MalformedCase,
    base_frame,
    base_mapping,
    drop_rows,
    geo_frame,
    geo_mapping,
    insert_copy,
    native_frame,
    set_rows,
    with_cells,
)
from tests.data.malformed.structure_cases import date_cases, structure_cases
from tests.data.malformed.value_cases import dataset_cases, value_cases

from mixwise.data.findings import Severity


def build_cases() -> list[MalformedCase]:
    """Every case of the corpus (built fresh; frames are not shared between cases)."""
    b = base_frame()
    return [*structure_cases(b), *date_cases(b), *value_cases(b), *dataset_cases(b)]


CASES: list[MalformedCase] = build_cases()
ERROR_CASES = [c for c in CASES if c.severity == Severity.ERROR]
WARNING_CASES = [c for c in CASES if c.severity != Severity.ERROR]

__all__ = [
    "CASES",
    "ERROR_CASES",
    "WARNING_CASES",
    "MalformedCase",
    "base_frame",
    "base_mapping",
    "build_cases",
    "drop_rows",
    "geo_frame",
    "geo_mapping",
    "insert_copy",
    "native_frame",
    "set_rows",
    "with_cells",
]
