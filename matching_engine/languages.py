"""ISO 639-1 language codes, for the ``languages`` column of the participant file."""

from __future__ import annotations

# All two-letter codes of ISO 639-1, one line per initial letter. ``bh`` (Bihari)
# is deprecated but still found in HR exports, so it is kept.
_CODES = """
    aa ab ae af ak am an ar as av ay az
    ba be bg bh bi bm bn bo br bs
    ca ce ch co cr cs cu cv cy
    da de dv dz
    ee el en eo es et eu
    fa ff fi fj fo fr fy
    ga gd gl gn gu gv
    ha he hi ho hr ht hu hy hz
    ia id ie ig ii ik io is it iu
    ja jv
    ka kg ki kj kk kl km kn ko kr ks ku kv kw ky
    la lb lg li ln lo lt lu lv
    mg mh mi mk ml mn mr ms mt my
    na nb nd ne ng nl nn no nr nv ny
    oc oj om or os
    pa pi pl ps pt
    qu
    rm rn ro ru rw
    sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw
    ta te tg th ti tk tl tn to tr ts tt tw ty
    ug uk ur uz
    ve vi vo
    wa wo
    xh
    yi yo
    za zh zu
"""

ISO_639_1: frozenset[str] = frozenset(_CODES.split())

# English names of the languages most often met, for explanations; others show their code.
_NAMES = """
    ar=Arabic bn=Bengali cs=Czech da=Danish de=German el=Greek en=English es=Spanish
    fa=Persian fi=Finnish fr=French he=Hebrew hi=Hindi hu=Hungarian id=Indonesian
    it=Italian ja=Japanese ko=Korean ms=Malay ne=Nepali nl=Dutch no=Norwegian pl=Polish
    pt=Portuguese ro=Romanian ru=Russian sv=Swedish sw=Swahili ta=Tamil th=Thai tl=Tagalog
    tr=Turkish uk=Ukrainian ur=Urdu vi=Vietnamese yo=Yoruba zh=Chinese ha=Hausa ig=Igbo
    af=Afrikaans zu=Zulu am=Amharic te=Telugu mr=Marathi gu=Gujarati pa=Punjabi kn=Kannada
    ml=Malayalam
"""
NAMES: dict[str, str] = dict(pair.split("=", 1) for pair in _NAMES.split())


def language_name(code: str) -> str:
    """``"en"`` -> ``"English"``; an unknown code stays as it is."""
    return NAMES.get(code.strip().lower(), code)
