"""Topic and risk classification of items (phân loại chủ đề và mức độ rủi ro).

The scorers are plain Python (``doingoai.textproc.classify``); this module picks the active
one from the settings, applies it to items and stories, and reads labelled data.

Settings (read with ``getattr``):

- ``MONITORING_CLASSIFIER``: ``"lexicon"`` (default) or the version name of a trained model
  under the models folder; several names may be given, comma-separated or as a list, e.g.
  ``"topic-2026-11-24-1,risk-2026-11-24-1"``: each model answers its own task and the
  lexicon answers a task no model covers.
- ``MONITORING_MODELS_DIR``: where trained models are saved (``<BASE_DIR>/var/models``).
- ``MONITORING_LEXICON_FILE``: the lexicon (``data/lexicon_vi.json`` of this app).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import F, FloatField, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from doingoai.textproc.classify import (
    LEXICON_NAME,
    META_FILE,
    TASKS,
    Classification,
    Lexicon,
    ModelError,
    TrainedModel,
    model_load,
)

from .models import Cluster, Item

DATA_DIR = Path(__file__).resolve().parent / "data"
CLASSIFICATION_FIELDS = ["topic", "topic_score", "risk_score", "risk_scores", "classifier_version"]


def models_dir() -> Path:
    """The folder of trained models (one sub-folder per version)."""
    configured = getattr(settings, "MONITORING_MODELS_DIR", None)
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "models"


def lexicon_path() -> Path:
    return Path(getattr(settings, "MONITORING_LEXICON_FILE", None) or DATA_DIR / "lexicon_vi.json")


@lru_cache(maxsize=4)
def _lexicon(path: str, mtime: float) -> Lexicon:
    return Lexicon.from_file(path)


def lexicon_current() -> Lexicon:
    """The lexicon, reloaded when its file changes."""
    path = lexicon_path()
    return _lexicon(str(path), path.stat().st_mtime)


@lru_cache(maxsize=8)
def _model(directory: str, version: str, mtime: float) -> TrainedModel:
    return model_load(directory, version)


def model_get(version: str) -> TrainedModel:
    """A trained model by version (cached per process; ``ModelError`` if there is none)."""
    directory = models_dir()
    meta = directory / version / "meta.json"
    mtime = meta.stat().st_mtime if meta.is_file() else 0.0
    return _model(str(directory), version, mtime)


def model_versions() -> list[dict]:
    """The metadata of every saved model, newest first."""
    found = []
    for meta in models_dir().glob(f"*/{META_FILE}"):
        try:
            found.append(json.loads(meta.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return sorted(found, key=_age_order, reverse=True)


def _age_order(meta: dict) -> tuple:
    """When a model was made, then its number of the day (``risk-2026-11-24-2`` after
    ``…-1``): two models trained within one clock tick must still come out in order."""
    try:
        created = datetime.fromisoformat(meta.get("created", ""))
    except ValueError:
        created = datetime.min.replace(tzinfo=UTC)
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    number = re.search(r"(\d+)$", str(meta.get("version", "")))
    return created, int(number.group(1)) if number else 0, str(meta.get("version", ""))


def version_next(task: str, today: date | None = None) -> str:
    """The next free version name for ``task`` today: ``risk-2026-11-24-1``, ``-2``…"""
    prefix = f"{task}-{(today or date.today()).isoformat()}-"
    directory = models_dir()
    number = 1
    while (directory / f"{prefix}{number}").exists():
        number += 1
    return f"{prefix}{number}"


@dataclass
class ActiveClassifier:
    """The lexicon plus, per task, the trained model that replaces it (if any)."""

    lexicon: Lexicon
    models: dict[str, TrainedModel]

    @property
    def version(self) -> str:
        """What items store as ``classifier_version``: e.g. ``lexicon-1`` or
        ``topic-2026-11-24-1+risk-2026-11-24-1``."""
        names = [self.models[task].version if task in self.models else "" for task in TASKS]
        if all(names):
            return "+".join(names)[:64]
        return "+".join([self.lexicon.version, *filter(None, names)])[:64]

    def classify(self, text: str, *, words: list[str] | None = None) -> Classification:
        """``words``: the folded words of ``text`` if the caller has them (the lexicon reads
        them instead of tokenising the text again; trained models read the text)."""
        result = self.lexicon.classify(text, words=words)
        if "topic" in self.models:
            by_model = self.models["topic"].classify(text)
            result.topic, result.topic_score = by_model.topic, by_model.topic_score
        if "risk" in self.models:
            result.risk_scores = self.models["risk"].classify(text).risk_scores
        result.version = self.version
        return result


def _names(value) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(name).strip() for name in value if str(name).strip()]
    return [name.strip() for name in str(value or LEXICON_NAME).split(",") if name.strip()]


def classifier_active() -> ActiveClassifier:
    """The classifier chosen by ``MONITORING_CLASSIFIER`` (``ImproperlyConfigured`` when it
    names a model that is not in the models folder, or two models of one task)."""
    models: dict[str, TrainedModel] = {}
    for name in _names(getattr(settings, "MONITORING_CLASSIFIER", LEXICON_NAME)):
        if name == LEXICON_NAME:
            continue
        try:
            model = model_get(name)
        except ModelError as error:
            raise ImproperlyConfigured(f"MONITORING_CLASSIFIER: {error}") from error
        if model.task in models:
            raise ImproperlyConfigured(f"MONITORING_CLASSIFIER: two {model.task} models")
        models[model.task] = model
    return ActiveClassifier(lexicon=lexicon_current(), models=models)


def item_text(item: Item) -> str:
    """What is classified: the title and the text."""
    return "\n".join(part for part in (item.title, item.text) if part)


def classification_fields(result: Classification) -> dict:
    return {
        "topic": result.topic,
        "topic_score": result.topic_score,
        "risk_score": result.risk_score,
        "risk_scores": result.risk_scores,
        "classifier_version": result.version,
    }


def item_classify(item: Item, classifier: ActiveClassifier | None = None) -> Classification:
    """Set the item's topic and risk fields from its title and text (does not save)."""
    result = (classifier or classifier_active()).classify(item_text(item))
    for name, value in classification_fields(result).items():
        setattr(item, name, value)
    return result


def cluster_classification_join(cluster: Cluster, item: Item) -> None:
    """An item joined ``cluster``: raise its highest risk; give it a topic if it has none."""
    Cluster.objects.filter(pk=cluster.pk).update(max_risk=Greatest(F("max_risk"), item.risk_score))
    if item.topic:
        Cluster.objects.filter(pk=cluster.pk, topic="").update(topic=item.topic)


def clusters_classification_refresh() -> int:
    """Recompute every story's highest risk and topic (its representative item's, else the
    topic of its riskiest item) after items were reclassified."""
    items = Item.objects.filter(cluster=OuterRef("pk"))
    riskiest_topic = items.exclude(topic="").order_by("-risk_score", "pk").values("topic")[:1]
    representative_topic = Item.objects.filter(pk=OuterRef("representative_id")).exclude(topic="")
    return Cluster.objects.update(
        max_risk=Coalesce(
            Subquery(
                items.order_by().values("cluster").annotate(top=Max("risk_score")).values("top")
            ),
            Value(0.0, output_field=FloatField()),
        ),
        topic=Coalesce(
            Subquery(representative_topic.values("topic")[:1]), Subquery(riskiest_topic), Value("")
        ),
    )


# --- Labelled data --------------------------------------------------------------------------


class LabelledDataError(ValueError):
    """A labelled CSV that cannot be used (the message is in Vietnamese and English)."""


def labelled_csv_read(
    path: str | Path,
    *,
    label_column: str | None = None,
    text_column: str = "text",
    task: str = "topic",
    split: str | None = None,
    group_column: str | None = None,
) -> tuple[list[str], list[str], list[str] | None]:
    """Texts, labels (and groups) of a UTF-8 CSV (comma, semicolon or tab separated).

    ``label_column`` defaults to ``label`` if there is one, else the task's name (``topic``
    or ``risk``); ``split`` keeps only the rows whose ``split`` column has that value. Rows
    with an empty text or label are skipped."""
    reader = _csv_reader(Path(path))
    columns = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = columns
    if not columns:
        raise LabelledDataError(f"Tệp rỗng / empty file: {path}")
    shown = {}
    if not label_column:
        label_column = "label" if "label" in columns else task
        shown[label_column] = f"label / {task}"
    wanted = [text_column, label_column]
    if split:
        wanted.append("split")
    if group_column:
        wanted.append(group_column)
    missing = [name for name in wanted if name not in columns]
    if missing:
        raise LabelledDataError(
            f"Thiếu cột / missing column(s): {', '.join(shown.get(m, m) for m in missing)} "
            f"(có / found: {', '.join(columns)})"
        )
    texts, labels, groups = [], [], []
    for row in reader:
        text, label = (row.get(text_column) or "").strip(), (row.get(label_column) or "").strip()
        if not text or not label or (split and (row.get("split") or "").strip() != split):
            continue
        texts.append(text)
        labels.append(label)
        groups.append((row.get(group_column) or "").strip() if group_column else "")
    if not texts:
        raise LabelledDataError(f"Không có dòng dữ liệu nào / no labelled rows in {path}")
    return texts, labels, groups if group_column else None


def _csv_reader(path: Path) -> csv.DictReader:
    if not path.is_file():
        raise LabelledDataError(f"Không tìm thấy tệp / file not found: {path}")
    try:
        content = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LabelledDataError(
            f"Tệp không phải UTF-8 / the file is not UTF-8 text ({path}): {error.reason} "
            f"at byte {error.start}"
        ) from error
    if not content.strip():
        raise LabelledDataError(f"Tệp rỗng / empty file: {path}")
    first_line = content.splitlines()[0]
    delimiter = max(",;\t", key=first_line.count)
    return csv.DictReader(io.StringIO(content), delimiter=delimiter)


def labels_from_database(task: str) -> tuple[list[str], list[str]]:
    """Texts and labels of the items staff labelled in the back office."""
    from .models import ItemLabel

    texts, labels = [], []
    queryset = ItemLabel.objects.select_related("item").order_by("pk")
    for label in queryset.iterator(chunk_size=500):
        value = label.topic if task == "topic" else label.risk
        text = item_text(label.item)
        if value and text:
            texts.append(text)
            labels.append(value)
    return texts, labels
