"""Wider format generators, to stress the client's parsers with every legal spelling, not just the canonical one.

Schemathesis' own generators are canonical (`T` and `Z` upper-case, lower-case uuids, `https://host.tld`). Real
servers and proxies may legally send `t`/`z`, numeric offsets, nine fraction digits, upper-case uuids of any version,
IP hosts, ports, queries and percent-escapes. These strategies are registered under format names of their own, so
the canonical generators stay in place for every other run (schemathesis' format registry is process-global).
"""

from __future__ import annotations

import datetime
import string
import urllib.parse
import uuid

import schemathesis
from hypothesis import provisional
from hypothesis import strategies as st

WIDE_FORMATS = {"date-time": "luma-wide-date-time", "uuid": "luma-wide-uuid", "uri": "luma-wide-uri"}

# Legal RFC 3339 / RFC 9562 values Python's standard library cannot represent; see test_client_models.py.
UNREPRESENTABLE_DATE_TIMES = {
    "leap second": "2016-12-31T23:59:60Z",
    "year zero": "0000-01-01T00:00:00Z",
}


def _two_digits(low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map("{:02d}".format)


def wide_date_times() -> st.SearchStrategy[str]:
    """RFC 3339 `date-time` in any spelling the grammar allows (years 0001-9999, seconds 00-59)."""
    date = st.dates(min_value=datetime.date(1, 1, 1)).map(datetime.date.isoformat)
    fraction = st.just("") | st.text(string.digits, min_size=1, max_size=9).map(".".__add__)
    time = st.builds("{}:{}:{}{}".format, _two_digits(0, 23), _two_digits(0, 59), _two_digits(0, 59), fraction)
    numeric_offset = st.builds("{}{}:{}".format, st.sampled_from("+-"), _two_digits(0, 23), _two_digits(0, 59))
    offset = st.sampled_from(["Z", "z", "+00:00", "-00:00"]) | numeric_offset
    return st.builds("{}{}{}{}".format, date, st.sampled_from("Tt"), time, offset)


def _mixed_case(text: str, uppers: list[bool]) -> str:
    return "".join(c.upper() if up else c for c, up in zip(text, uppers, strict=False))


def wide_uuids() -> st.SearchStrategy[str]:
    """Hyphenated uuids of any version or variant (nil and max included), in lower, upper or mixed case."""
    values = (
        st.uuids(allow_nil=True)
        | st.just(uuid.UUID(int=2**128 - 1))
        | st.integers(0, 2**128 - 1).map(lambda n: uuid.UUID(int=n))
    )
    spelled = values.map(str)
    return spelled | spelled.map(str.upper) | st.builds(_mixed_case, spelled, st.lists(st.booleans(), min_size=36))


def _query() -> st.SearchStrategy[str]:
    pairs = st.lists(st.tuples(st.text(min_size=1, max_size=12), st.text(max_size=40)), max_size=4)
    return pairs.map(urllib.parse.urlencode)


def wide_uris() -> st.SearchStrategy[str]:
    """Absolute URIs: Hypothesis' RFC 3986 URLs, plus IP hosts with ports, paths and presigned-style queries."""
    host = st.ip_addresses(v=4).map(str) | st.ip_addresses(v=6).map(lambda ip: f"[{ip}]")
    segments = st.lists(st.text(min_size=1, max_size=16).map(lambda s: urllib.parse.quote(s, safe="")), max_size=4)
    with_ip = st.builds(
        "{}://{}:{}/{}?{}".format,
        st.sampled_from(["http", "https"]),
        host,
        st.integers(1, 65535),
        segments.map("/".join),
        _query(),
    )
    return provisional.urls() | with_ip


_registered = False


def register_wide_formats() -> None:
    """Make the names in WIDE_FORMATS generate the wide values (idempotent)."""
    global _registered  # noqa: PLW0603 - schemathesis' registry is global; register once per process
    if _registered:
        return
    schemathesis.openapi.format(WIDE_FORMATS["date-time"], wide_date_times())
    schemathesis.openapi.format(WIDE_FORMATS["uuid"], wide_uuids())
    schemathesis.openapi.format(WIDE_FORMATS["uri"], wide_uris())
    _registered = True
