"""The conformance summary adds up the counts of every process that ran tests (xdist workers send theirs as JSON)."""

from __future__ import annotations

from conformance.report import Stats


def _worker(check_ok: bool, reason: str, skipped: str) -> Stats:
    stats = Stats()
    stats.case("2 mock vs spec (schemathesis)", 3)
    stats.check("not_a_server_error", True)
    stats.check("generation_lifecycle", check_ok, None if check_ok else reason)
    stats.paid_posts, stats.posts_not_sent = 1, 2
    stats.skipped[skipped] += 1
    stats.followed["asgi: image"] += 4
    return stats


def test_merged_workers_add_up() -> None:
    first = _worker(False, "Documented rule broken: a\nsecond line", "no clock")
    second = _worker(False, "Documented rule broken: a", "no clock")
    second.coverage["Model"] = (["uni-1"], [])

    total = Stats()
    total.merge(first.as_json())
    total.merge(second.as_json())

    assert total.cases == {"2 mock vs spec (schemathesis)": 6}
    assert {name: (t.passed, t.failed) for name, t in total.checks.items()} == {
        "not_a_server_error": (2, 0),
        "generation_lifecycle": (0, 2),
    }
    assert total.reasons == {"generation_lifecycle": {"Documented rule broken: a": 2}}
    assert (total.paid_posts, total.posts_not_sent) == (2, 4)
    assert total.skipped == {"no clock": 2}
    assert total.followed == {"asgi: image": 8}
    assert total.coverage == {"Model": (["uni-1"], [])}


def test_one_worker_merged_into_nothing_is_that_worker() -> None:
    worker = _worker(True, "", "no clock")
    worker.coverage["Model"] = (["uni-1"], ["uni-1-max"])
    total = Stats()
    total.merge(worker.as_json())
    assert total.as_json() == worker.as_json()
