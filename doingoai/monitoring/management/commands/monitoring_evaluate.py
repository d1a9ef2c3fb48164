"""Evaluate a classifier (đánh giá mô hình) on a labelled CSV.

    manage.py monitoring_evaluate --model lexicon --task risk --csv test.csv --label-column risk
    manage.py monitoring_evaluate --model risk-2026-11-24-1 --task risk --csv test.csv

Prints precision, recall and F1 per class, the macro-F1 and the macro one-vs-rest ROC-AUC
(sklearn.metrics).
"""

from __future__ import annotations

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from doingoai.monitoring.classification import (
    LabelledDataError,
    labelled_csv_read,
    lexicon_current,
    model_get,
)
from doingoai.textproc.classify import LEXICON_NAME, TASKS, ModelError, evaluate, labels_check

CHUNK = 100


class Command(BaseCommand):
    help = "Evaluate the lexicon or a trained model on a labelled CSV (macro-F1, ROC-AUC)."

    def add_arguments(self, parser):
        parser.add_argument("--model", default=LEXICON_NAME, help="'lexicon' or a version name")
        parser.add_argument("--task", choices=sorted(TASKS), default="topic")
        parser.add_argument("--csv", dest="csv_path", required=True)
        parser.add_argument("--label-column", help="default: 'label', else the task's name")
        parser.add_argument("--text-column", default="text")
        parser.add_argument("--split", help="only the rows whose 'split' column has this value")

    def handle(self, *args, **options):
        task = options["task"]
        try:
            texts, labels, _groups = labelled_csv_read(
                options["csv_path"],
                label_column=options["label_column"],
                text_column=options["text_column"],
                task=task,
                split=options["split"],
            )
            labels_check(task, labels)
            scorer = self._scorer(options["model"])
            classes = scorer.classes(task)
            scores, predicted = self._score(scorer, texts, task)
        except (LabelledDataError, ModelError) as error:
            raise CommandError(str(error)) from error
        metrics = evaluate(labels, classes, scores, predicted)
        self._print(scorer.version, task, metrics)

    def _scorer(self, name: str):
        if name == LEXICON_NAME:
            return lexicon_current()
        return model_get(name)

    def _score(self, scorer, texts: list[str], task: str) -> tuple[np.ndarray, list[str]]:
        """Score in chunks, printing the progress."""
        scores, predicted = [], []
        for start in range(0, len(texts), CHUNK):
            chunk = texts[start : start + CHUNK]
            scores.append(scorer.scores(chunk, task))
            predicted += scorer.predict(chunk, task)
            self.stdout.write(f"  {start + len(chunk)}/{len(texts)}")
        return np.vstack(scores), predicted

    def _print(self, version: str, task: str, metrics: dict) -> None:
        self.stdout.write(f"Mô hình / model: {version} — {task}, {metrics['size']} mẫu / examples")
        self.stdout.write(f"{'class':<14}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>9}")
        for label, row in metrics["per_class"].items():
            self.stdout.write(
                f"{label:<14}{row['precision']:>10.4f}{row['recall']:>10.4f}"
                f"{row['f1']:>10.4f}{row['support']:>9}"
            )
        self.stdout.write(f"Macro-F1: {metrics['macro_f1']:.4f}")
        auc = metrics["roc_auc"]
        self.stdout.write(f"ROC-AUC (macro OvR): {'-' if auc is None else f'{auc:.4f}'}")
