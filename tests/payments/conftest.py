"""Every payment fixture (tests/payment_fixtures.py) for the tests of this folder."""

from payment_fixtures import *  # noqa: F403
