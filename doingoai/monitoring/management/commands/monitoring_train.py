"""Train a topic or risk model (huấn luyện mô hình) from staff labels or a labelled CSV.

    manage.py monitoring_train --task risk                      # labels given in the back office
    manage.py monitoring_train --task topic --csv labelled.csv  # columns text,label
    manage.py monitoring_train --task risk --csv data.csv --label-column risk --version risk-v2

Prints the label counts and the macro-F1 / ROC-AUC on a held-out part, and saves the model
under ``MONITORING_MODELS_DIR/<version>/``. Activate it with ``MONITORING_CLASSIFIER``.
"""

from __future__ import annotations

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from doingoai.monitoring.classification import (
    LabelledDataError,
    labelled_csv_read,
    labels_from_database,
    models_dir,
    version_next,
)
from doingoai.textproc.classify import TASKS, ModelError, train


class Command(BaseCommand):
    help = "Train a topic or risk classifier from labelled items or a CSV (text,label)."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Our --version (the model's) replaces Django's (the framework's version).
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--task", choices=sorted(TASKS), default="topic")
        parser.add_argument("--csv", dest="csv_path", help="UTF-8 CSV with text and label columns")
        parser.add_argument("--label-column", help="default: 'label', else the task's name")
        parser.add_argument("--text-column", default="text")
        parser.add_argument("--split", help="only the rows whose 'split' column has this value")
        parser.add_argument(
            "--group-column", help="rows of one group stay on one side of the held-out split"
        )
        parser.add_argument("--version", help="model version name (default: <task>-<date>-<n>)")
        parser.add_argument("--test-size", type=float, default=0.2)
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, **options):
        task = options["task"]
        if not 0 < options["test_size"] < 1:
            raise CommandError("--test-size phải nằm giữa 0 và 1 / must be between 0 and 1")
        texts, labels, groups = self._data(options)
        self.stdout.write(f"Số mẫu / examples: {len(texts)}")
        for label, count in sorted(Counter(labels).items()):
            self.stdout.write(f"  {label}: {count}")
        version = options["version"] or version_next(task)
        try:
            model = train(
                texts,
                labels,
                task=task,
                version=version,
                test_size=options["test_size"],
                seed=options["seed"],
                groups=groups,
                progress=self.stdout.write,
            )
            folder = model.save(models_dir())
        except ModelError as error:
            raise CommandError(str(error)) from error
        metrics = model.meta["metrics"]
        self.stdout.write(f"Macro-F1 (held-out): {metrics['macro_f1']:.4f}")
        auc = metrics["roc_auc"]
        self.stdout.write(f"ROC-AUC (held-out): {'-' if auc is None else f'{auc:.4f}'}")
        self.stdout.write(self.style.SUCCESS(f"Đã lưu / saved: {version} ({folder})"))

    def _data(self, options) -> tuple[list[str], list[str], list[str] | None]:
        if options["csv_path"]:
            try:
                return labelled_csv_read(
                    options["csv_path"],
                    label_column=options["label_column"],
                    text_column=options["text_column"],
                    task=options["task"],
                    split=options["split"],
                    group_column=options["group_column"],
                )
            except LabelledDataError as error:
                raise CommandError(str(error)) from error
        texts, labels = labels_from_database(options["task"])
        if not texts:
            raise CommandError(
                "Chưa có tin bài nào được gán nhãn / no labelled items yet: label items in the "
                "back office or pass --csv"
            )
        return texts, labels, None
