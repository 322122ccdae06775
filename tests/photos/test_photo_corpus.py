"""The checker's verdict on every item of the photo corpus (tests/photos/corpus.py): passed or
refused as expected, and a refusal names exactly the one check expected to refuse it."""

import pytest
from corpus import corpus
from photo_factory import KEY

from yikao.photos import DEFAULT_PROFILE, check_photo

ITEMS = corpus()


def test_corpus_covers_both_verdicts_and_every_refusing_check():
    assert len(ITEMS) == len({i.name for i in ITEMS}) >= 40
    assert {i.person for i in ITEMS} == {"astronaut", "hopper"}
    assert {i.reason for i in ITEMS if i.expect == "fail"} == {
        "background", "min_size", "upscaled", "frontal", "exposure", "centred",
    }  # fmt: skip
    assert all((i.expect == "pass") == (i.reason is None) for i in ITEMS)


@pytest.mark.parametrize("item", ITEMS, ids=lambda i: i.name)
def test_checker_verdict_on_the_corpus(item):
    r = check_photo(item.make(), profile=DEFAULT_PROFILE, key=KEY)
    if item.expect == "pass":
        assert r.passed, [c.to_dict() for c in r.failures]
    else:
        assert not r.passed and r.jpeg is None
        assert [c.code for c in r.failures] == [item.reason], [c.to_dict() for c in r.failures]
