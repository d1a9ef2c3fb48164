"""The trainable classifier: training and evaluation commands, versions, the active model."""

import csv
import io
import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from sklearn.metrics import f1_score, roc_auc_score

from doingoai.monitoring.classification import (
    classifier_active,
    item_classify,
    lexicon_current,
    model_versions,
)
from doingoai.textproc import classify
from doingoai.textproc.classify import RISK_KINDS, model_load

from .factories import ItemFactory, ItemLabelFactory

DATASET = (
    Path(__file__).resolve().parents[2] / "doingoai" / "monitoring" / "data" / "labelled_vi.csv"
)


def dataset_rows(split: str, per_class: int, column: str) -> list[dict]:
    """The first ``per_class`` rows of each label of one split of the bundled dataset."""
    rows, taken = [], Counter()
    with DATASET.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["split"] == split and taken[row[column]] < per_class:
                taken[row[column]] += 1
                rows.append(row)
    return rows


def write_csv(path: Path, rows: list[dict], columns: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def risk_csvs(tmp_path_factory):
    """Small train/test CSVs (text,label) for the risk task, from the two splits."""
    folder = tmp_path_factory.mktemp("risk")
    train = [{"text": r["text"], "label": r["risk"]} for r in dataset_rows("train", 25, "risk")]
    test = [{"text": r["text"], "label": r["risk"]} for r in dataset_rows("test", 12, "risk")]
    return (
        write_csv(folder / "train.csv", train, ["text", "label"]),
        write_csv(folder / "test.csv", test, ["text", "label"]),
    )


@pytest.fixture
def models(settings, tmp_path):
    settings.MONITORING_MODELS_DIR = str(tmp_path / "models")
    return Path(settings.MONITORING_MODELS_DIR)


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def printed(output: str, name: str) -> float:
    return float(re.search(rf"^{re.escape(name)}[^:]*: ([0-9.]+)$", output, re.M).group(1))


def read_csv(path: Path) -> tuple[list[str], list[str]]:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [r["text"] for r in rows], [r["label"] for r in rows]


def test_train_prints_counts_and_saves_a_versioned_model(models, risk_csvs):
    output = run("monitoring_train", "--task", "risk", "--csv", str(risk_csvs[0]))
    version = f"risk-{date.today().isoformat()}-1"
    texts, labels = read_csv(risk_csvs[0])
    for label, count in Counter(labels).items():
        assert f"  {label}: {count}" in output
    meta = json.loads((models / version / "meta.json").read_text(encoding="utf-8"))
    assert (meta["version"], meta["task"]) == (version, "risk")
    assert meta["label_counts"] == dict(Counter(labels))
    assert meta["training_size"] + meta["heldout_size"] == len(texts)
    assert meta["heldout_size"] == round(len(texts) * 0.2)
    assert {"scikit-learn", "underthesea", "joblib", "python"} <= set(meta["libraries"])
    assert printed(output, "Macro-F1") == pytest.approx(meta["metrics"]["macro_f1"], abs=5e-5)
    assert 0 <= meta["metrics"]["roc_auc"] <= 1
    assert version in output
    # The next training of the same day gets the next number; the first is kept.
    run("monitoring_train", "--task", "risk", "--csv", str(risk_csvs[0]), "--seed", "1")
    assert [m["version"] for m in model_versions()][::-1] == [version, version[:-1] + "2"]


def test_evaluate_prints_the_figures_sklearn_computes_for_the_saved_model(models, risk_csvs):
    run("monitoring_train", "--task", "risk", "--csv", str(risk_csvs[0]), "--version", "r1")
    output = run(
        "monitoring_evaluate", "--model", "r1", "--task", "risk", "--csv", str(risk_csvs[1])
    )
    texts, labels = read_csv(risk_csvs[1])
    pipeline = model_load(models, "r1").pipeline
    expected_f1 = f1_score(labels, pipeline.predict(texts), average="macro")
    expected_auc = roc_auc_score(
        labels, pipeline.predict_proba(texts), multi_class="ovr", labels=pipeline.classes_
    )
    assert printed(output, "Macro-F1") == pytest.approx(expected_f1, abs=5e-5)
    assert printed(output, "ROC-AUC") == pytest.approx(expected_auc, abs=5e-5)
    for kind in ("none", *RISK_KINDS):
        assert re.search(rf"^{kind} +[0-9.]+ +[0-9.]+ +[0-9.]+ +\d+$", output, re.M)
    assert f"{len(texts)}/{len(texts)}" in output  # progress


def test_evaluate_the_lexicon_on_a_csv_with_a_label_column(models, tmp_path):
    rows = dataset_rows("test", 6, "topic")
    path = write_csv(tmp_path / "topics.csv", rows, ["text", "topic", "risk"])
    output = run(
        "monitoring_evaluate", "--task", "topic", "--csv", str(path), "--label-column", "topic"
    )
    texts, labels = [r["text"] for r in rows], [r["topic"] for r in rows]
    lexicon = lexicon_current()
    predicted = lexicon.predict(texts, "topic")
    present = [t for t in classify.TOPICS if t in set(labels) | set(predicted)]
    expected_f1 = f1_score(labels, predicted, labels=present, average="macro", zero_division=0)
    scores = lexicon.scores(texts, "topic")
    expected_auc = sum(
        roc_auc_score([label == topic for label in labels], scores[:, column])
        for column, topic in enumerate(classify.TOPICS)
    ) / len(classify.TOPICS)
    assert "lexicon-1" in output
    assert printed(output, "Macro-F1") == pytest.approx(expected_f1, abs=5e-5)
    assert printed(output, "ROC-AUC") == pytest.approx(expected_auc, abs=5e-5)


def test_train_on_one_split_with_groups_kept_apart(models, tmp_path):
    rows = dataset_rows("train", 15, "topic") + dataset_rows("test", 3, "topic")
    path = write_csv(tmp_path / "all.csv", rows, ["text", "topic", "risk", "split", "group"])
    output = run(
        "monitoring_train",
        *("--task", "topic", "--csv", str(path), "--label-column", "topic"),
        *("--split", "train", "--group-column", "group", "--version", "t1"),
    )
    meta = model_load(models, "t1").meta
    assert meta["grouped_split"] is True
    assert meta["training_size"] + meta["heldout_size"] == 15 * len(classify.TOPICS)
    assert sum(meta["label_counts"].values()) == 15 * len(classify.TOPICS)  # no test rows
    assert "Macro-F1 (held-out)" in output


def test_grouped_split_never_puts_a_group_on_both_sides():
    labels = ["a", "b"] * 20
    groups = [f"g{i // 4}" for i in range(40)]
    train_idx, test_idx = classify._split(labels, 0.2, 0, groups)
    assert {groups[i] for i in train_idx}.isdisjoint({groups[i] for i in test_idx})
    assert sorted(train_idx + test_idx) == list(range(40))


@pytest.mark.django_db
def test_active_classifier_is_chosen_in_settings(models, risk_csvs, settings):
    run("monitoring_train", "--task", "risk", "--csv", str(risk_csvs[0]), "--version", "r1")
    item = ItemFactory(title="Tin đồn vỡ đập", text="Lan truyền tin giả về thủy điện ở Bát Xát.")
    settings.MONITORING_CLASSIFIER = "lexicon"
    assert item_classify(item).version == "lexicon-1"
    assert item.classifier_version == "lexicon-1"
    lexicon_scores = dict(item.risk_scores)

    settings.MONITORING_CLASSIFIER = "r1"
    active = classifier_active()
    assert active.version == "lexicon-1+r1"  # the lexicon still gives the topic
    item_classify(item, active)
    probabilities = model_load(models, "r1").pipeline.predict_proba([f"{item.title}\n{item.text}"])
    classes = list(model_load(models, "r1").pipeline.classes_)
    assert item.classifier_version == "lexicon-1+r1"
    assert item.topic == lexicon_current().classify(f"{item.title}\n{item.text}").topic
    for kind in RISK_KINDS:
        assert item.risk_scores[kind] == pytest.approx(probabilities[0][classes.index(kind)], 1e-3)
    assert item.risk_score == max(item.risk_scores.values())
    assert item.risk_scores != lexicon_scores

    settings.MONITORING_CLASSIFIER = "no-such-model"
    with pytest.raises(ImproperlyConfigured, match="no-such-model"):
        classifier_active()
    settings.MONITORING_CLASSIFIER = ["r1", "r1"]
    with pytest.raises(ImproperlyConfigured, match="two risk models"):
        classifier_active()


@pytest.mark.django_db
def test_topic_and_risk_models_together(models, risk_csvs, settings, tmp_path):
    rows = dataset_rows("train", 12, "topic")
    topics = write_csv(tmp_path / "t.csv", rows, ["text", "topic"])
    run("monitoring_train", "--task", "topic", "--csv", str(topics), "--version", "t1")
    run("monitoring_train", "--task", "risk", "--csv", str(risk_csvs[0]), "--version", "r1")
    settings.MONITORING_CLASSIFIER = "t1, r1"
    assert classifier_active().version == "t1+r1"
    item = ItemFactory(title="Du khách đến Sa Pa", text="Khách sạn kín phòng dịp nghỉ lễ.")
    item_classify(item)
    assert item.topic in classify.TOPICS and 0 < item.topic_score <= 1
    assert item.classifier_version == "t1+r1"


@pytest.mark.django_db
def test_train_from_labels_given_in_the_back_office(models):
    for row in dataset_rows("train", 6, "risk"):
        ItemLabelFactory(item__text=row["text"], item__title="", risk=row["risk"])
    output = run("monitoring_train", "--task", "risk", "--version", "from-db")
    meta = model_load(models, "from-db").meta
    assert meta["label_counts"] == {"false": 6, "harmful": 6, "negative": 6, "none": 6}
    assert "Macro-F1" in output
