"""TF-IDF on ``scipy.sparse``: the words of people's values, interests and goals as rows whose
dot product is their cosine.

The numbers are those of scikit-learn's ``TfidfVectorizer(stop_words="english",
sublinear_tf=True)``, which this replaces (importing scikit-learn cost the command line
about a second): lower-cased tokens of two or more word characters (``(?u)\\b\\w\\w+\\b``),
English stop words left out, term frequency ``1 + ln(count)``, smoothed inverse document
frequency ``ln((1 + n) / (1 + df)) + 1``, and each row scaled to unit length (a row
without words stays zero).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from scipy import sparse

Sparse = Any  # scipy.sparse.csr_array (scipy ships no type stubs)

_TOKEN = re.compile(r"(?u)\b\w\w+\b")

# scikit-learn's English stop words (from the Glasgow Information Retrieval Group's list).
_STOP_TEXT = """
    a about above across after afterwards again against all almost alone along already also although
    always am among amongst amoungst amount an and another any anyhow anyone anything anyway
    anywhere are around as at back be became because become becomes becoming been before beforehand
    behind being below beside besides between beyond bill both bottom but by call can cannot cant co
    con could couldnt cry de describe detail do done down due during each eg eight either eleven
    else elsewhere empty enough etc even ever every everyone everything everywhere except few
    fifteen fifty fill find fire first five for former formerly forty found four from front full
    further get give go had has hasnt have he hence her here hereafter hereby herein hereupon hers
    herself him himself his how however hundred i ie if in inc indeed interest into is it its itself
    keep last latter latterly least less ltd made many may me meanwhile might mill mine more
    moreover most mostly move much must my myself name namely neither never nevertheless next nine
    no nobody none noone nor not nothing now nowhere of off often on once one only onto or other
    others otherwise our ours ourselves out over own part per perhaps please put rather re same see
    seem seemed seeming seems serious several she should show side since sincere six sixty so some
    somehow someone something sometime sometimes somewhere still such system take ten than that the
    their them themselves then thence there thereafter thereby therefore therein thereupon these
    they thick thin third this those though three through throughout thru thus to together too top
    toward towards twelve twenty two un under until up upon us very via was we well were what
    whatever when whence whenever where whereafter whereas whereby wherein whereupon wherever
    whether which while whither who whoever whole whom whose why will with within without would yet
    you your yours yourself yourselves
"""
STOP_WORDS: frozenset[str] = frozenset(_STOP_TEXT.split())


def tokens(text: str) -> list[str]:
    """The words of ``text`` that count: lower-cased, two characters or more, no stop words."""
    return [word for word in _TOKEN.findall(text.lower()) if word not in STOP_WORDS]


def weigh(counts: Sparse) -> Sparse:
    """TF-IDF rows from a (documents x terms) sparse matrix of counts: float32, each row of
    unit length (a row without terms stays zero)."""
    matrix = sparse.csr_array(counts, dtype=np.float64, copy=True)
    matrix.sum_duplicates()
    matrix.eliminate_zeros()
    n_docs, n_terms = matrix.shape
    document_frequency = np.bincount(matrix.indices, minlength=n_terms)
    idf = np.log((1 + n_docs) / (1 + document_frequency)) + 1
    weights = (1 + np.log(matrix.data)) * idf[matrix.indices]
    row = np.repeat(np.arange(n_docs), np.diff(matrix.indptr))
    norms = np.sqrt(np.bincount(row, weights=weights * weights, minlength=n_docs))
    matrix.data = weights / norms[row]
    return sparse.csr_array(matrix, dtype=np.float32)
