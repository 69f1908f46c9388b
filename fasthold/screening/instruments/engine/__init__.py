"""The questionnaire engine: an instrument is data, and a score is computed from raw answers.

A package in three parts: ``model`` (the instrument and result types), ``reader`` (built-in
files, licensed uploads and custom scales, checked against the schema) and ``scoring``.
Import from here (or from ``fasthold.screening.instruments``).

Pure Python (stdlib only) on purpose: scoring is health data whose correctness is checked
against published vectors, so it must be testable and reusable without Django or a database.

Scoring pipeline, in the order the published rules apply it:
1. validate the answers (count, whole numbers, each within its item's response range; no
   imputation of missing items, because none of the shipped instruments publishes a rule);
2. reverse-score items marked `reverse` (min + max - answer);
3. collapse item groups into scored units (the MDI's higher of 8a/8b and of 10a/10b);
4. raw = sum of the units; score = raw * multiply + add (WHO-5: x4);
5. band = the band whose [min, max] holds the score; subscores = sums of named units;
6. algorithms (e.g. MDI ICD-10 / DSM-IV) are evaluated on the units and reported separately,
   never derived from the band, since the two can disagree.
"""

# Each module names its public part in __all__; the engine's is theirs together.
from . import model, reader, scoring
from .model import *  # noqa: F403
from .reader import *  # noqa: F403
from .scoring import *  # noqa: F403

__all__ = [*model.__all__, *reader.__all__, *scoring.__all__]
