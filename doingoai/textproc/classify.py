"""Topic (chủ đề) and risk (mức độ rủi ro) of a monitored text: a lexicon and a trained model.

Plain Python (no Django). Two scorers share one interface (``classes``/``scores``/``predict``):

- ``Lexicon``: the transparent default. Weighted Vietnamese terms per topic (the portal's
  sections) and per risk kind — *negative* (tiêu cực), *harmful* (độc hại, kích động, xuyên
  tạc), *false* (nghi sai sự thật, tin giả) — matched on folded words (so "TIN GIA", "tin giả"
  and "Tin Giả" agree), whole words only, longest term first. A risk term right after a
  negator ("không phải tin giả", "chưa có dấu hiệu …") counts against its kind, and a term
  may carry a negative weight itself ("bác bỏ tin đồn" lowers *false*). Each matched term is
  returned, which is the explanation shown to staff.
- ``TrainedModel``: a scikit-learn pipeline (TF-IDF over underthesea word segments and over
  character n-grams of the folded text, then a logistic regression), one per task: ``topic``
  (multiclass) or ``risk`` (``none`` or one kind; the probability of each kind is its score).
  Saved with joblib in a folder named after its version, with ``meta.json`` (version, task,
  creation time, label counts, training-set size, held-out metrics, library versions).

Word segmentation uses ``underthesea.word_tokenize`` only, which runs on the model shipped
inside the package (no download); it is imported lazily, on the first segmented text.
"""

from __future__ import annotations

import json
import math
import platform
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .folding import fold, tokenize
from .words import analyse, term_starts, term_trie, trie_matches

__all__ = [
    "LEXICON_NAME",
    "META_FILE",
    "MODEL_FILE",
    "RISK_KINDS",
    "RISK_LABELS",
    "RISK_NONE",
    "RISK_THRESHOLD",
    "TASKS",
    "TOPICS",
    "Classification",
    "Lexicon",
    "LexiconMatch",
    "ModelError",
    "Scorer",
    "TrainedModel",
    "evaluate",
    "labels_check",
    "macro_roc_auc",
    "model_load",
    "segment",
    "train",
    "version_check",
]

TOPICS = ("thoi-su", "kinh-te", "du-lich", "hop-tac", "bien-gioi", "quoc-phong", "xa-hoi")
RISK_NONE = "none"
RISK_KINDS = ("negative", "harmful", "false")
RISK_LABELS = (RISK_NONE, *RISK_KINDS)
TASKS = {"topic": TOPICS, "risk": RISK_LABELS}
LEXICON_NAME = "lexicon"
RISK_THRESHOLD = 0.5  # a kind scoring at least this much is the predicted risk
RISK_SCALE = 2.0  # score = 1 - exp(-weight / RISK_SCALE): weight 2 → 0.63, 4 → 0.86
NEGATION_GAP = 1  # words allowed between a negator and the term ("không phải là tin giả")
MODEL_FILE = "model.joblib"
META_FILE = "meta.json"
_VERSION_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


class ModelError(ValueError):
    """Bad training data, an unknown model version or a model of the wrong task."""


# --- Results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LexiconMatch:
    """One lexicon term found in a text: ``target`` is ``topic:<key>`` or ``risk:<kind>``."""

    term: str
    target: str
    weight: float
    count: int
    negated: bool = False

    @property
    def contribution(self) -> float:
        value = self.weight * (1 + math.log(self.count))
        return -value if self.negated else value

    def __str__(self) -> str:
        sign = "-" if self.negated else ""
        return f"{sign}{self.term} ({self.target} {self.contribution:+.2f})"


@dataclass
class Classification:
    """What a scorer says about one text: the fields an item stores, and the why."""

    topic: str = ""
    topic_score: float = 0.0
    risk_scores: dict[str, float] = field(default_factory=dict)
    version: str = ""
    matches: list[LexiconMatch] = field(default_factory=list)

    @property
    def risk_score(self) -> float:
        """The highest score over the risk kinds (0 when nothing is risky)."""
        return max(self.risk_scores.values(), default=0.0)

    @property
    def risk(self) -> str:
        """The predicted risk label: the highest kind at or above the threshold, else none."""
        kind = max(RISK_KINDS, key=lambda k: self.risk_scores.get(k, 0.0))
        return kind if self.risk_scores.get(kind, 0.0) >= RISK_THRESHOLD else RISK_NONE

    @property
    def explanation(self) -> list[str]:
        """The matched terms, heaviest first, e.g. ``"tin giả (risk:false +2.50)"``."""
        ordered = sorted(self.matches, key=lambda m: (-abs(m.contribution), m.term))
        return [str(match) for match in ordered]


class Scorer(Protocol):
    version: str

    def classes(self, task: str) -> tuple[str, ...]: ...

    def scores(self, texts: Sequence[str], task: str) -> np.ndarray: ...


# --- Lexicon ------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(tokenize(text))


class Lexicon:
    """Weighted terms per topic and risk kind, matched on folded words (see module doc)."""

    def __init__(
        self,
        terms: Iterable[tuple[str, str, float]],
        *,
        negators: Iterable[str] = (),
        version: str = "1",
    ) -> None:
        self.version = f"{LEXICON_NAME}-{version}"
        self._terms: dict[tuple[str, ...], list[tuple[str, str, float]]] = {}
        for term, target, weight in terms:
            words = _words(term)
            if words:
                self._terms.setdefault(words, []).append((term, target, float(weight)))
        self._negators = {words for words in map(_words, negators) if words}
        self._trie = term_trie(self._terms)
        self._longest = max(map(len, self._terms), default=0)
        self._longest_negator = max(map(len, self._negators), default=0)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Lexicon:
        """Build from the JSON layout of ``lexicon_vi.json``:
        ``{"version", "topics": {key: {term: weight}}, "risks": {kind: {term: weight}},
        "negators": [...]}``."""
        terms = []
        for section, known in (("topics", TOPICS), ("risks", RISK_KINDS)):
            prefix = section[:-1]  # topic / risk
            for key, entries in data.get(section, {}).items():
                if key not in known:
                    raise ModelError(f"Unknown {prefix} in the lexicon: {key}")
                terms += [(term, f"{prefix}:{key}", weight) for term, weight in entries.items()]
        return cls(terms, negators=data.get("negators", ()), version=str(data.get("version", 1)))

    @classmethod
    def from_file(cls, path: str | Path) -> Lexicon:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

    def __len__(self) -> int:
        return sum(map(len, self._terms.values()))

    def _negated(self, words: Sequence[str], start: int) -> bool:
        for gap in range(NEGATION_GAP + 1):
            end = start - gap
            for length in range(1, self._longest_negator + 1):
                if end - length >= 0 and tuple(words[end - length : end]) in self._negators:
                    return True
        return False

    def find(self, text: str, *, words: Sequence[str] | None = None) -> list[LexiconMatch]:
        """The terms in ``text`` (longest first, no overlaps), counted per term and polarity.

        ``words`` are the folded words of ``text`` when the caller has them already
        (``words.analyse(text).words``); only positions whose word starts a term are read."""
        words = analyse(text).words if words is None else words
        counts: Counter[tuple[str, str, float, bool]] = Counter()
        trie = self._trie
        after = 0  # the first position not covered by a term already matched
        for position in term_starts(words, trie):
            if position < after:
                continue
            matches = trie_matches(trie, words, position)
            if not matches:
                continue
            length, entries = matches[0]  # the longest term starting here
            negated = None  # only risk terms can be negated: look back only for them
            for term, target, weight in entries:
                risk = target.startswith("risk:")
                if risk and negated is None:
                    negated = self._negated(words, position)
                counts[(term, target, weight, risk and negated)] += 1
            after = position + length
        return [
            LexiconMatch(term=term, target=target, weight=weight, count=count, negated=negated)
            for (term, target, weight, negated), count in counts.items()
        ]

    def find_reference(self, text: str) -> list[LexiconMatch]:
        """``find`` as it was first written (every position, every length): the tests
        check that both agree."""
        words = _words(text)
        counts: Counter[tuple[str, str, float, bool]] = Counter()
        position = 0
        while position < len(words):
            matched = 0
            for length in range(min(self._longest, len(words) - position), 0, -1):
                entries = self._terms.get(tuple(words[position : position + length]))
                if entries:
                    negated = self._negated(words, position)
                    for term, target, weight in entries:
                        counts[(term, target, weight, negated and target.startswith("risk:"))] += 1
                    matched = length
                    break
            position += matched or 1
        return [
            LexiconMatch(term=term, target=target, weight=weight, count=count, negated=negated)
            for (term, target, weight, negated), count in counts.items()
        ]

    def classify(self, text: str, *, words: Sequence[str] | None = None) -> Classification:
        """Topic, topic score (share of the best topic's weight), risk per kind, explanation."""
        matches = self.find(text, words=words)
        topics = self._totals(matches, "topic", TOPICS)
        best = max(TOPICS, key=lambda key: topics[key])
        total = sum(value for value in topics.values() if value > 0)
        risks = self._totals(matches, "risk", RISK_KINDS)
        return Classification(
            topic=best if topics[best] > 0 else "",
            topic_score=round(topics[best] / (total + 1.0), 4) if topics[best] > 0 else 0.0,
            risk_scores={kind: _squash(value) for kind, value in risks.items()},
            version=self.version,
            matches=matches,
        )

    @staticmethod
    def _totals(matches: list[LexiconMatch], prefix: str, keys: Sequence[str]) -> dict:
        totals = dict.fromkeys(keys, 0.0)
        for match in matches:
            kind, key = match.target.split(":", 1)
            if kind == prefix:
                totals[key] += match.contribution
        return totals

    # The scorer interface (used by the evaluation command).

    def classes(self, task: str) -> tuple[str, ...]:
        return TASKS[task]

    def scores(self, texts: Sequence[str], task: str) -> np.ndarray:
        """One row per text, one column per class: topic shares, or risk per kind with
        ``none`` = 1 - the highest kind."""
        rows = []
        for text in texts:
            result = self.classify(text)
            if task == "topic":
                share = self._totals(result.matches, "topic", TOPICS)
                total = sum(v for v in share.values() if v > 0) + 1.0
                rows.append([max(share[key], 0.0) / total for key in TOPICS])
            else:
                rows.append([1.0 - result.risk_score, *(result.risk_scores[k] for k in RISK_KINDS)])
        return np.asarray(rows, dtype=float).reshape(len(rows), len(TASKS[task]))

    def predict(self, texts: Sequence[str], task: str) -> list[str]:
        """Topic: the best topic, or ``""`` when no term matched; risk: see ``Classification``."""
        results = [self.classify(text) for text in texts]
        if task == "topic":
            return [result.topic for result in results]
        return [result.risk for result in results]


def _squash(weight: float) -> float:
    return round(1.0 - math.exp(-max(weight, 0.0) / RISK_SCALE), 4)


# --- Word segmentation --------------------------------------------------------------------


@lru_cache(maxsize=1)
def _word_tokenize() -> Callable[..., Any]:
    from underthesea import word_tokenize  # lazy: loads the bundled CRF model

    return word_tokenize


def segment(text: str) -> list[str]:
    """Vietnamese words of ``text`` (tách từ), lower-cased, syllables joined by ``_``:
    "Cửa khẩu Kim Thành" → ``["cửa_khẩu", "kim_thành"]``. Punctuation is dropped."""
    if not text or not text.strip():
        return []
    words = _word_tokenize()(text)
    return [word.lower().replace(" ", "_") for word in words if any(c.isalnum() for c in word)]


def word_features(text: str) -> list[str]:
    """Segmented words and their bigrams: the analyzer of the word TF-IDF."""
    words = segment(text)
    return words + [f"{a} {b}" for a, b in pairwise(words)]


def folded(text: str) -> str:
    """The preprocessor of the character TF-IDF: robust to text typed without diacritics."""
    return fold(text)


# --- Trained model ------------------------------------------------------------------------


def labels_check(task: str, labels: Sequence[str]) -> None:
    """Raise ``ModelError`` on an unknown task or label, or when fewer than two classes."""
    if task not in TASKS:
        raise ModelError(f"Unknown task {task!r}; use one of: {', '.join(TASKS)}")
    unknown = sorted(set(labels) - set(TASKS[task]))
    if unknown:
        raise ModelError(
            f"Nhãn không hợp lệ / unknown labels for {task}: {', '.join(map(repr, unknown))}; "
            f"allowed: {', '.join(TASKS[task])}"
        )
    if len(set(labels)) < 2:
        raise ModelError("Cần ít nhất hai nhãn khác nhau / at least two classes are needed")


def version_check(version: str) -> str:
    """A model version is a folder name: lower-case letters, digits, ``.``, ``_`` and ``-``."""
    if not _VERSION_RE.match(version or "") or version == LEXICON_NAME:
        raise ModelError(
            f"Tên phiên bản không hợp lệ / invalid version name {version!r} "
            "(lower-case letters, digits, '.', '_', '-'; not 'lexicon')"
        )
    return version


def _pipeline(seed: int):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(analyzer=word_features, sublinear_tf=True)),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    preprocessor=folded,
                    ngram_range=(2, 4),
                    sublinear_tf=True,
                    min_df=2,
                ),
            ),
        ]
    )
    classifier = LogisticRegression(
        C=10.0, max_iter=2000, class_weight="balanced", random_state=seed
    )
    return Pipeline([("features", features), ("classifier", classifier)])


def _library_versions() -> dict[str, str]:
    from importlib.metadata import version

    versions = {"python": platform.python_version()}
    for name in ("scikit-learn", "underthesea", "underthesea_core", "joblib", "numpy"):
        try:
            versions[name] = version(name)
        except Exception:  # noqa: S112 - a library not installed is not listed
            continue
    return versions


@dataclass
class TrainedModel:
    """A fitted pipeline for one task and its metadata (``meta``)."""

    pipeline: Any
    meta: dict[str, Any]

    @property
    def version(self) -> str:
        return self.meta["version"]

    @property
    def task(self) -> str:
        return self.meta["task"]

    def classes(self, task: str) -> tuple[str, ...]:
        self._check_task(task)
        return tuple(str(c) for c in self.pipeline.classes_)

    def scores(self, texts: Sequence[str], task: str) -> np.ndarray:
        self._check_task(task)
        return self.pipeline.predict_proba(list(texts))

    def predict(self, texts: Sequence[str], task: str) -> list[str]:
        classes = self.classes(task)
        return [classes[i] for i in self.scores(texts, task).argmax(axis=1)]

    def classify(self, text: str) -> Classification:
        """Topic and its probability, or the probability of each risk kind."""
        row = self.scores([text], self.task)[0]
        probabilities = dict(zip(self.classes(self.task), map(float, row), strict=True))
        if self.task == "topic":
            best = max(probabilities, key=probabilities.__getitem__)
            return Classification(
                topic=best, topic_score=round(probabilities[best], 4), version=self.version
            )
        risks = {kind: round(probabilities.get(kind, 0.0), 4) for kind in RISK_KINDS}
        return Classification(risk_scores=risks, version=self.version)

    def _check_task(self, task: str) -> None:
        if task != self.task:
            raise ModelError(f"Model {self.version} is a {self.task} model, not {task}")

    def save(self, directory: str | Path) -> Path:
        """Write ``<directory>/<version>/model.joblib`` and ``meta.json``; never overwrite."""
        import joblib

        folder = Path(directory) / version_check(self.version)
        if folder.exists():
            raise ModelError(f"Phiên bản đã có / version already exists: {self.version}")
        folder.mkdir(parents=True)
        joblib.dump(self.pipeline, folder / MODEL_FILE, compress=3)
        (folder / META_FILE).write_text(
            json.dumps(self.meta, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        return folder


def model_load(directory: str | Path, version: str) -> TrainedModel:
    """Load the model saved as ``version`` under ``directory`` (``ModelError`` if missing).

    Only load models this platform trained itself: joblib files are pickles."""
    import joblib

    folder = Path(directory) / version_check(version)
    if not (folder / MODEL_FILE).is_file() or not (folder / META_FILE).is_file():
        raise ModelError(f"Không có mô hình / unknown model version: {version} (in {directory})")
    meta = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
    return TrainedModel(pipeline=joblib.load(folder / MODEL_FILE), meta=meta)


def _split(
    labels: Sequence[str], test_size: float, seed: int, groups: Sequence[str] | None = None
) -> tuple[list[int], list[int]]:
    """Stratified held-out split; with ``groups``, a group (e.g. one source story and its
    paraphrases) is never on both sides."""
    from sklearn.model_selection import StratifiedGroupKFold, train_test_split

    counts = Counter(labels)
    rare = sorted(label for label, count in counts.items() if count < 2)
    if rare:
        raise ModelError(
            "Mỗi nhãn cần ít nhất 2 mẫu / each label needs at least 2 examples: " + ", ".join(rare)
        )
    indices = list(range(len(labels)))
    if groups is not None:
        folds = StratifiedGroupKFold(
            n_splits=max(2, round(1 / test_size)), shuffle=True, random_state=seed
        )
        train_idx, test_idx = next(folds.split(indices, list(labels), groups=list(groups)))
        if {labels[i] for i in train_idx} != set(counts):
            raise ModelError("Quá ít nhóm để tách tập kiểm tra / too few groups for a split")
        return sorted(map(int, train_idx)), sorted(map(int, test_idx))
    n_test = max(round(len(labels) * test_size), len(counts))
    if len(labels) - n_test < len(counts):
        raise ModelError("Quá ít mẫu để tách tập kiểm tra / too few examples for a held-out split")
    train_idx, test_idx = train_test_split(
        indices, test_size=n_test, stratify=list(labels), random_state=seed
    )
    return sorted(train_idx), sorted(test_idx)


def train(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    task: str,
    version: str,
    test_size: float = 0.2,
    seed: int = 0,
    groups: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> TrainedModel:
    """Fit a model on a stratified training part and measure it on the held-out rest.

    The saved model is the one measured (fitted on the training part only), so the metrics
    in its metadata are honest figures for unseen text."""
    say = progress or (lambda _message: None)
    labels = [str(label) for label in labels]
    labels_check(task, labels)
    version_check(version)
    train_idx, test_idx = _split(labels, test_size, seed, groups)
    say(f"Tập huấn luyện / training: {len(train_idx)}, giữ lại / held out: {len(test_idx)}")
    pipeline = _pipeline(seed)
    say("Tách từ và huấn luyện / segmenting and fitting…")
    pipeline.fit([texts[i] for i in train_idx], [labels[i] for i in train_idx])
    model = TrainedModel(pipeline=pipeline, meta={"version": version, "task": task})
    say("Đánh giá trên tập giữ lại / evaluating on the held-out part…")
    heldout = [texts[i] for i in test_idx]
    metrics = evaluate(
        [labels[i] for i in test_idx],
        model.classes(task),
        model.scores(heldout, task),
        model.predict(heldout, task),
    )
    model.meta.update(
        created=datetime.now(UTC).isoformat(timespec="microseconds"),
        label_counts=dict(sorted(Counter(labels).items())),
        training_size=len(train_idx),
        heldout_size=len(test_idx),
        seed=seed,
        grouped_split=groups is not None,
        metrics=metrics,
        libraries=_library_versions(),
    )
    return model


# --- Metrics ------------------------------------------------------------------------------


def macro_roc_auc(
    y_true: Sequence[str], classes: Sequence[str], scores: np.ndarray
) -> float | None:
    """Macro average of one-vs-rest ROC-AUC over the classes present with both outcomes
    (the same figure as ``roc_auc_score(multi_class="ovr", average="macro")`` when every
    class occurs); ``None`` when no class can be scored."""
    from sklearn.metrics import roc_auc_score

    truth = np.asarray(y_true)
    values = []
    for column, label in enumerate(classes):
        positive = truth == label
        if positive.any() and not positive.all():
            values.append(roc_auc_score(positive, scores[:, column]))
    return float(np.mean(values)) if values else None


def evaluate(
    y_true: Sequence[str], classes: Sequence[str], scores: np.ndarray, y_pred: Sequence[str]
) -> dict[str, Any]:
    """Per-class precision/recall/F1/support, macro-F1 and macro one-vs-rest ROC-AUC.

    Classes are those of ``classes`` that occur in the truth or the predictions (sklearn's
    default set); a prediction outside ``classes`` (the lexicon's ``""`` for "no topic term")
    counts as a miss of the true class without adding a class of its own."""
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    seen = set(y_true) | set(y_pred)
    labels = [label for label in classes if label in seen]  # sklearn's default, in order
    precision, recall, f1, support = precision_recall_fscore_support(
        list(y_true), list(y_pred), labels=labels, zero_division=0
    )
    per_class = {
        label: {
            "precision": round(float(p), 4),
            "recall": round(float(r), 4),
            "f1": round(float(f), 4),
            "support": int(s),
        }
        for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
    }
    macro_f1 = f1_score(list(y_true), list(y_pred), labels=labels, average="macro", zero_division=0)
    auc = macro_roc_auc(y_true, labels, scores)
    return {
        "per_class": per_class,
        "macro_f1": float(macro_f1),
        "roc_auc": None if auc is None else float(auc),
        "size": len(y_true),
    }
