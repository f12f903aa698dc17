"""The bench's cProfile reports: the functions a call spent its time in, paths made relative."""

import hashlib

from bench.scale.profiles import profile_call


def spend_time_hashing() -> int:
    return len([hashlib.sha256(str(number).encode()).hexdigest() for number in range(20_000)])


def test_a_profiled_call_names_where_its_time_went_without_machine_paths():
    report = profile_call("# a title", spend_time_hashing)
    assert report.startswith("# a title\n")
    assert "## Top 25 by cumulative (one call)" in report
    assert "## Top 25 by tottime (one call)" in report
    assert "tests/test_bench_profiles.py" in report and "(spend_time_hashing)" in report
    assert "/tests/test_bench_profiles.py" not in report  # relative to the repository
