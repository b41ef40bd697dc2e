"""Group journeys into unique paths with DuckDB (each identical path once, with its counts).

Input: ``touches(j, ch, pos, age)`` (one row per kept touch, ``age`` = days before the conversion
or the journey's end, NULL when unknown) and ``outcomes(j, converters, nulls, conv, val)`` (one row
per journey, or per row of an aggregated path table). Output: :class:`Paths`, ordered by path so
that the same data always gives the same order (and the same bootstrap draws).
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from mixwise.attribution.paths import Paths, pad_sequences

UNIQUE_PATHS = """
CREATE TEMP TABLE jp AS SELECT j, list(ch ORDER BY pos) AS path FROM touches GROUP BY j;
CREATE TEMP TABLE up AS
SELECT path, row_number() OVER (ORDER BY path) - 1 AS pid, sum(o.converters) AS converters,
       sum(o.nulls) AS nulls, sum(o.conv) AS conv, sum(o.val) AS val
FROM jp JOIN outcomes o USING (j) GROUP BY path;
"""
MEAN_AGES = """
SELECT up.pid, t.pos, sum(t.age * o.conv) / sum(o.conv) AS age
FROM touches t JOIN jp USING (j) JOIN up USING (path) JOIN outcomes o USING (j)
WHERE o.conv > 0 AND t.age IS NOT NULL GROUP BY up.pid, t.pos
"""


def unique_paths(
    touches: pd.DataFrame, outcomes: pd.DataFrame, channels: tuple[str, ...], with_ages: bool
) -> Paths:
    """Unique paths of ``touches`` with the summed ``outcomes`` of their journeys."""
    with duckdb.connect() as con:
        con.execute("SET threads TO 2")
        con.register("touches_df", touches)
        con.register("outcomes_df", outcomes)
        con.execute("CREATE TEMP TABLE touches AS SELECT * FROM touches_df")
        con.execute("CREATE TEMP TABLE outcomes AS SELECT * FROM outcomes_df")
        con.execute(UNIQUE_PATHS)
        table = con.sql("SELECT * FROM up ORDER BY pid").to_arrow_table()
        ages_rows = con.sql(MEAN_AGES).df() if with_ages else None
    lists = table.column("path").combine_chunks()
    assert isinstance(lists, pa.ListArray)
    steps = pad_sequences(
        lists.values.to_numpy(zero_copy_only=False).astype(np.int32),
        lists.offsets.to_numpy(zero_copy_only=False),
    )
    ages = None
    if ages_rows is not None:
        ages = np.full(steps.shape, np.nan)
        ages[ages_rows["pid"].to_numpy(int), ages_rows["pos"].to_numpy(int) - 1] = ages_rows[
            "age"
        ].to_numpy(float)

    def col(name: str) -> np.ndarray:
        return table.column(name).to_numpy().astype(float)

    return Paths(
        channels=channels,
        steps=steps,
        converters=col("converters"),
        nulls=col("nulls"),
        conversions=col("conv"),
        value=col("val"),
        ages=ages,
    )
