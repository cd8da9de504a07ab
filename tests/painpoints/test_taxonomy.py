"""Tests of the pain-point taxonomy."""

from __future__ import annotations

import pytest

from needlab.errors import ConfigError
from needlab.painpoints.taxonomy import PAIN_TYPES, STAGES, Taxonomy


@pytest.fixture(scope="module")
def tx() -> Taxonomy:
    return Taxonomy.default()


def test_default_size_and_coverage(tx):
    leaves = tx.leaves()
    assert len(leaves) >= 40
    t = tx.table()
    assert set(t.loc[t["leaf"], "pain_type"]) == set(PAIN_TYPES)
    assert set(t.loc[t["leaf"], "stage"]) <= set(STAGES)
    # every leaf has names, a definition and evidence in both languages
    for cid in leaves:
        c = tx[cid]
        assert c.name["zh"] and c.name["en"] and c.definition["zh"] and c.definition["en"]
        for lg in ("zh", "en"):
            assert c.keywords[lg] or c.patterns[lg], (cid, lg)
    assert t["code"].is_unique
    assert {"code", "parent", "level", "leaf", "pain_type", "stage", "name", "definition"} <= set(
        t.columns
    )


def test_default_examples_are_coded(tx):
    from needlab.painpoints.coding import code_text

    rows = [(c.id, lg, ex) for c in tx for lg in ("zh", "en") for ex in c.examples[lg]]
    assert len(rows) > 60
    r = code_text([ex for _, _, ex in rows])
    missing = [
        (cid, ex)
        for (cid, _, ex), codes in zip(rows, r.table["codes"], strict=True)
        if cid not in codes
    ]
    assert not missing


@pytest.mark.parametrize("domains", [[], ["travel"], ["telecom"], ["banking"], ["ecommerce"]])
def test_pack_examples_are_coded(domains):
    """Every example of the core and of each pack codes with the core plus that pack alone."""
    from needlab.painpoints.coding import code_text

    t = Taxonomy.default(domains=domains)
    rows = [(c.id, ex) for c in t for lg in ("zh", "en") for ex in c.examples[lg]]
    r = code_text([ex for _, ex in rows], taxonomy=t)
    missing = [
        (cid, ex)
        for (cid, ex), codes in zip(rows, r.table["codes"], strict=True)
        if cid not in codes
    ]
    assert not missing


def test_layers():
    from needlab.painpoints.taxonomy import DOMAINS

    core = Taxonomy.default(domains=[])
    default = Taxonomy.default()
    assert set(core.ids) < set(default.ids)
    # None = the core plus the packs of the earlier single default taxonomy
    assert set(default.ids) == set(
        Taxonomy.default(["ecommerce", "food_delivery", "appliances"]).ids
    )
    assert Taxonomy.default("travel").ids == Taxonomy.default(["travel"]).ids
    assert Taxonomy.default(["travel"]) is Taxonomy.default(["travel"])  # cached per pack set
    # food_delivery brings ecommerce (delivery codes) with it
    assert "PRO.DELIVERY_LATE" in Taxonomy.default(["food_delivery"])
    # every pack loads alone and all together (no duplicate ids across packs)
    every = Taxonomy.default(list(DOMAINS))
    for name in DOMAINS:
        t = Taxonomy.default([name])
        assert set(core.ids) < set(t.ids) <= set(every.ids)
    # the core is generic: no delivery, travel, telecom or banking codes
    assert not [c for c in core.ids if c.startswith(("TRV", "TEL", "BNK"))]
    assert "PRO.DELIVERY_LATE" not in core and "FUN.FOOD_QUALITY" not in core
    # a pack sets the stage a core code has in its domain
    assert core["PRO.WAIT"].stage == "use"
    assert default["PRO.WAIT"].stage == "delivery"
    assert Taxonomy.default(["travel"])["PRO.WAIT"].stage == "use"
    assert Taxonomy.default(["travel"])["TRV.FLIGHT_DELAY"].stage == "use"
    # packs add evidence to core codes
    assert "overdraft fee" in Taxonomy.default(["banking"])["VAL.HIDDEN_FEES"].keywords["en"]
    assert "overdraft fee" not in core["VAL.HIDDEN_FEES"].keywords["en"]


def test_unknown_domain():
    with pytest.raises(ConfigError, match=r"unknown domain pack.*'banking'.*'travel'"):
        Taxonomy.default(domains=["airline"])
    with pytest.raises(ConfigError, match="unknown domain pack"):
        Taxonomy.default(domains=[3])


def test_sense_guards():
    from needlab.painpoints.coding import code_text

    texts = [
        "my drivers license is expired",
        "you have amazing staff who spoiled me with comfort",
        "Left early. Arrived early. Crew helpful.",
    ]
    for domains in (None, [], ["travel"], ["food_delivery"], ["appliances"]):
        r = code_text(texts, taxonomy=Taxonomy.default(domains))
        assert not r.table["coded"].any(), (domains, list(r.table["codes"]))
    r = code_text(
        ["the milk was expired", "the meat was spoiled", "the technician left early"],
        taxonomy=Taxonomy.default(),
    )
    assert [c for c in r.table["codes"]] == [
        ("FUN.FOOD_QUALITY",),
        ("FUN.FOOD_QUALITY",),
        ("SER.TECHNICIAN",),
    ]


def test_yaml_round_trip(tx, tmp_path):
    text = tx.to_yaml(tmp_path / "t.yaml")
    back = Taxonomy.from_yaml(tmp_path / "t.yaml")
    assert back.ids == tx.ids
    assert Taxonomy.from_yaml(text).table().equals(tx.table())
    assert back["VAL.EXPENSIVE"].keywords == tx["VAL.EXPENSIVE"].keywords


def test_children_ancestors(tx):
    assert "FUN.BROKEN" in tx.children("FUN")
    assert tx.ancestors("FUN.BROKEN") == ["FUN"]


def test_add_and_merge(tx):
    t2 = tx.add(
        "FUN.GLITCH",
        parent="FUN",
        name={"en": "Glitch", "zh": "小故障"},
        keywords={"zh": ["小毛病"], "en": ["glitchy"]},
    )
    assert t2["FUN.GLITCH"].pain_type == "functional"
    assert "FUN.GLITCH" not in tx
    extra = Taxonomy(
        [
            {"id": "VAL", "pain_type": "value", "name": {"en": "Value"}},
            {
                "id": "VAL.EXPENSIVE",
                "parent": "VAL",
                "pain_type": "value",
                "name": {"en": "Price"},
                "keywords": {"en": ["costs an arm and a leg"]},
            },
        ]
    )
    with pytest.raises(ConfigError, match="in both taxonomies"):
        tx.merge(extra)
    ext = tx.merge(extra, on_conflict="extend")
    assert "costs an arm and a leg" in ext["VAL.EXPENSIVE"].keywords["en"]
    assert "overpriced" in ext["VAL.EXPENSIVE"].keywords["en"]
    rep = tx.merge(extra, on_conflict="replace")
    assert rep["VAL.EXPENSIVE"].keywords["en"] == ("costs an arm and a leg",)


def _code(cid, **kw):
    d = {"id": cid, "name": {"en": cid}, "pain_type": "functional"}
    d.update(kw)
    return d


@pytest.mark.parametrize(
    ("codes", "match"),
    [
        ([_code("A"), _code("A")], "duplicate code ids 'A'"),
        ([_code("A", parent="B"), _code("B", parent="A")], "cycle of parents"),
        ([_code("A", parent="Z")], "'A' has parent 'Z'"),
        ([_code("A", patterns={"en": ["(unclosed"]})], "'A': patterns.en pattern"),
        ([_code("A", patterns={"en": ["(x)"]})], "capturing group"),
        ([_code("A", pain_type="emotional")], "'A' has unknown pain_type 'emotional'"),
        ([_code("A", stage="checkout")], "'A' has unknown stage 'checkout'"),
        ([_code("A"), _code("A.B", parent="A", pain_type="value")], "shares its parent"),
        ([_code("bad id!")], "code id 'bad id!' is invalid"),
        ([_code("A", color="red")], "unknown fields 'color'"),
        ([_code("A", keywords={"fr": ["cher"]})], "unknown language keys 'fr'"),
    ],
)
def test_validation_errors(codes, match):
    with pytest.raises(ConfigError, match=match):
        Taxonomy(codes)


def test_yaml_errors(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        Taxonomy.from_yaml(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError, match="list 'codes'"):
        Taxonomy.from_yaml("a: 1\nb: 2\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        Taxonomy.from_yaml("codes: [\n  - x: :\n")
    with pytest.raises(ConfigError, match="not in the taxonomy"):
        Taxonomy.default()["NOPE"]
