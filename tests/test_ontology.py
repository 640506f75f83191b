"""The CAMEO and PLOVER ontology: codes, Goldstein scores, quad classes and the mapping."""

from __future__ import annotations

import pytest

from detente.coding.ontology import (
    PLOVER_TYPES,
    CameoCode,
    OntologyError,
    all_cameo,
    cameo,
    plover_type,
    quad_class,
)


def test_every_root_is_defined_with_its_name() -> None:
    roots = [c for c in all_cameo() if len(c.code) == 2]
    assert [r.code for r in roots] == [f"{n:02d}" for n in range(1, 21)]
    assert cameo("04").name == "Consult"
    assert cameo("19").name == "Fight"


def test_codes_are_many_and_well_formed() -> None:
    codes = all_cameo()
    assert len(codes) > 280
    for code in codes:
        assert code.code.isdigit() and 2 <= len(code.code) <= 4
        assert code.root == code.code[:2]
        assert -10.0 <= code.goldstein <= 10.0
        assert code.name
        if code.parent is not None:
            assert cameo(code.parent).root == code.root  # every sub-code has its parent


@pytest.mark.parametrize(
    ("code", "goldstein", "quad", "plover", "mode"),
    [
        ("042", 1.9, 1, "CONSULT", "visit"),
        ("043", 2.8, 1, "CONSULT", "visit"),
        ("057", 8.0, 1, "SUPPORT", None),
        ("0311", 5.2, 1, "AGREE", None),
        ("072", 8.3, 2, "AID", None),
        ("0841", 7.0, 2, "RETREAT", "release"),
        ("090", -2.0, 2, "ACCUSE", "investigate"),
        ("1313", -5.8, 3, "THREATEN", "relations"),
        ("141", -6.5, 3, "PROTEST", "demo"),
        ("163", -8.0, 4, "COERCE", "restrict"),
        ("173", -5.0, 4, "COERCE", "arrest"),
        ("195", -10.0, 4, "ASSAULT", "heavy-weapons"),
        ("2042", -10.0, 4, "ASSAULT", "unconventional"),
    ],
)
def test_code_carries_goldstein_quad_and_plover(
    code: str, goldstein: float, quad: int, plover: str, mode: str | None
) -> None:
    found = cameo(code)
    assert isinstance(found, CameoCode)
    assert (found.goldstein, found.quad_class, found.plover, found.plover_mode) == (
        goldstein,
        quad,
        plover,
        mode,
    )


@pytest.mark.parametrize(
    ("root", "quad"), [("01", 1), ("05", 1), ("06", 2), ("09", 2), ("10", 3), ("14", 3), ("15", 4)]
)
def test_quad_classes_follow_gdelt(root: str, quad: int) -> None:
    assert quad_class(root) == quad


def test_statements_have_no_plover_type_and_appeals_are_requests() -> None:
    assert cameo("010").plover is None
    assert cameo("0234").plover == "REQUEST"


def test_short_codes_are_padded() -> None:
    assert cameo("4").code == "04"


@pytest.mark.parametrize("bad", ["42", "999", "0x1", "", "0455"])
def test_unknown_codes_name_the_valid_ones(bad: str) -> None:
    with pytest.raises(OntologyError) as info:
        cameo(bad)
    message = str(info.value)
    assert repr(bad) in message and "valid codes" in message


def test_plover_types() -> None:
    assert len(PLOVER_TYPES) == 16
    assert plover_type("consult").modes == ("phone", "visit", "third-party")
    assert plover_type("AGREE").modes == ()
    mapped = {c.plover for c in all_cameo()} - {None}
    assert mapped == set(PLOVER_TYPES)
    for code in all_cameo():
        if code.plover and code.plover_mode:
            assert code.plover_mode in plover_type(code.plover).modes, code


def test_unknown_plover_type_lists_the_valid_ones() -> None:
    with pytest.raises(OntologyError, match="valid types: AGREE, CONSULT"):
        plover_type("FIGHT")
