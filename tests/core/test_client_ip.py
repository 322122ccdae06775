"""client_ip: the address rate limits and audit rows are keyed by."""

import pytest

from yikao.core.ratelimit import client_ip


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "10.0.0.2"),  # no trusted proxy: the header is the client's word
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # a forged left part is ignored
        (2, "203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (2, "203.0.113.7", "10.0.0.2"),  # fewer hops than proxies: not trusted
        (1, "", "10.0.0.2"),
        (1, "<script>, 1.2.3.4.5", "10.0.0.2"),  # not an address
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip_takes_the_address_the_outermost_proxy_saw(
    rf, settings, proxies, forwarded, expected
):
    settings.PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
