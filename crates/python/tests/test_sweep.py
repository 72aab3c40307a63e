"""`breakout.sweep`: one row per point equal to `run` at that point, the same table serially and
on a Dask LocalCluster, and a Parquet round trip through pandas and pyarrow."""

import pytest

import breakout

pd = pytest.importorskip("pandas")

GRID = {"state": ["iran-2025-05", "jcpoa-2016"], "setup_days_per_step": [0, 21], "count": [1, 3]}


@pytest.fixture(scope="module")
def serial():
    return breakout.sweep(GRID)


def test_one_row_per_point_inputs_first(serial):
    assert len(serial) == 8
    assert list(serial.columns[:3]) == ["state", "setup_days_per_step", "count"]
    # The last key varies fastest.
    assert serial["count"].tolist() == [1, 3] * 4
    assert serial["state"].tolist() == ["iran-2025-05"] * 4 + ["jcpoa-2016"] * 4


def test_each_row_equals_run_at_that_point(serial):
    for _, row in serial.iterrows():
        r = breakout.run(
            row["state"], setup_days_per_step=int(row["setup_days_per_step"]), count=int(row["count"])
        )
        assert row["goal_days"] == r.goal_days
        assert row["first_sq_days"] == r.first_sq_days
        assert row["separative_work_swu"] == r.separative_work_swu


def test_list_of_points_and_a_colliding_result_name():
    df = breakout.sweep([{"capacity_swu_per_yr": 10000.0}, {"capacity_swu_per_yr": 20000.0}])
    assert df["capacity_swu_per_yr"].tolist() == [10000.0, 20000.0]
    assert "capacity_swu_per_yr_result" in df.columns
    assert df["goal_days"][0] > df["goal_days"][1]


def test_bad_point_is_named():
    with pytest.raises(breakout.BreakoutError, match="sweep point 1: .*setup_days"):
        breakout.sweep([{"count": 1}, {"setup_days": 3}])


def test_grid_size_is_checked_before_building():
    # 10⁹ points as ranges: refused from the lengths, none built.
    big = {"count": range(1000), "seed": range(1000), "samples": range(1000)}
    with pytest.raises(breakout.BreakoutError, match="1000000000 points, which exceeds"):
        breakout.sweep(big)


def test_dask_local_cluster_gives_exactly_the_serial_table(serial):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None,
    ) as cluster, distributed.Client(cluster) as client:
        on_dask = breakout.sweep(GRID, client=client, chunk_size=3)
    pd.testing.assert_frame_equal(on_dask, serial, check_exact=True)


def test_parquet_round_trip(serial, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "sweep.parquet"
    serial.to_parquet(path)
    pd.testing.assert_frame_equal(pd.read_parquet(path), serial, check_exact=True)
    table = pq.read_table(path)
    assert table.num_rows == 8
    assert table.column("goal_days").to_pylist() == serial["goal_days"].tolist()


def test_cli_sweep_parquet_reads_back_equal_to_its_json_rows(tmp_path):
    # `breakout sweep GRID.toml --parquet FILE`: the file pyarrow and pandas read equals the
    # rows of the same command's --json, column by column and type by type.
    import json
    import os
    import pathlib
    import subprocess

    pq = pytest.importorskip("pyarrow.parquet")
    root = pathlib.Path(__file__).resolve().parents[3]
    binary = os.environ.get("BREAKOUT_BIN", str(root / "target" / "debug" / "breakout"))
    grid = root / "examples" / "sweep" / "states-setup-goal.toml"
    path = tmp_path / "sweep.parquet"
    p = subprocess.run(
        [binary, "sweep", str(grid), "--json", "--parquet", str(path)],
        capture_output=True, text=True, check=True,
    )
    results = json.loads(p.stdout)["results"]
    columns, rows = results["columns"], results["rows"]
    assert len(rows) == 12
    table = pq.read_table(path)
    assert table.column_names == columns
    assert table.to_pylist() == [{c: r.get(c) for c in columns} for r in rows]
    assert str(table.schema.field("count").type) == "int64"
    assert str(table.schema.field("goal_days").type) == "double"
    assert str(table.schema.field("state").type) == "string"
    frame = pd.read_parquet(path)
    expected = pd.DataFrame.from_records(rows, columns=columns)
    pd.testing.assert_frame_equal(frame, expected, check_exact=True)
    # The same table as the Python package's sweep over the same grid.
    same = breakout.sweep(
        {"state": ["jcpoa-2016", "iran-2025-05"], "setup_days_per_step": [0, 21, 42],
         "count": [1, 3]}
    )
    pd.testing.assert_frame_equal(same, expected, check_exact=True)
